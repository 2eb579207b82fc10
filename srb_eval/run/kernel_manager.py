"""The kernel manager and client that run reports: jupyter_client's, with each kernel
forked from a zygote (:class:`srb_eval.run.provisioner.ForkingProvisioner`) and taken to be
ready as soon as it has welcomed its client (:class:`ReportKernelClient`)."""

from __future__ import annotations

import time
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from traitlets import DottedObjectName, Type

from .provisioner import PROVISIONER_NAME, provisioner_registered

#: Seconds a report's client waits for its kernel's IOPub welcome before it waits
#: jupyter_client's way (:class:`ReportKernelClient`).
WELCOME_TIMEOUT = 5.0


class ReportKernelClient(AsyncKernelClient):
    """jupyter_client's asynchronous kernel client, which takes a kernel to be ready once
    the kernel has welcomed the client's IOPub subscription and answered one
    ``kernel_info`` request.

    A ZeroMQ subscriber misses what is published before its subscription reaches the
    publisher, and jupyter_client's :meth:`wait_for_ready` cannot see when it has: it asks
    for ``kernel_info`` until a status message also comes back on IOPub, then reads IOPub
    until it has been quiet for 0.2 s, 0.2 to 0.4 s of every kernel start. A kernel that
    implements Jupyter enhancement proposal 65 ("Replace PUB socket with XPUB socket";
    ipykernel 7 does) sends an ``iopub_welcome`` message on IOPub when a subscription
    reaches it, after which the client misses nothing the kernel publishes. A kernel
    that sends no welcome within :data:`WELCOME_TIMEOUT` (or the caller's time-out), or
    that speaks another major version of the messaging protocol, is waited for
    jupyter_client's way; so is a second client of one kernel, which gets no welcome (an
    XPUB socket passes on one subscription to a topic). A kernel that dies meanwhile
    raises jupyter_client's error. What is left on IOPub (the status messages of the
    ``kernel_info`` request) answers no request of the caller's (nbclient reads only the
    messages of its own requests).
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Wait until the kernel is ready (see the class); ``RuntimeError`` as
        jupyter_client's when it dies or does not answer within ``timeout`` seconds."""
        import queue

        import jupyter_client

        start = time.monotonic()
        limit = WELCOME_TIMEOUT if timeout is None else min(timeout, WELCOME_TIMEOUT)
        while (left := start + limit - time.monotonic()) > 0:
            try:
                msg = await self.get_iopub_msg(timeout=min(left, 0.5))
            except queue.Empty:
                if not await self.is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info") from None
                continue
            if msg["msg_type"] != "iopub_welcome":
                continue
            try:
                reply = await self.kernel_info(reply=True,
                                               timeout=max(start + limit - time.monotonic(), 0.1))
            except TimeoutError:
                break
            version = str(reply["content"].get("protocol_version", ""))
            if version.split(".")[0] == str(jupyter_client.protocol_version_info[0]):
                return
            break
        left = None if timeout is None else max(timeout - (time.monotonic() - start), 0.1)
        await super().wait_for_ready(left)


class ReportKernelManager(AsyncKernelManager):
    """The kernel manager for reports: as jupyter_client's, with kernels started by
    :class:`srb_eval.run.provisioner.ForkingProvisioner` (named in the kernel
    specification's documented ``kernel_provisioner`` entry) and clients that know
    sooner when a kernel is ready (:class:`ReportKernelClient`)."""

    client_class = DottedObjectName("srb_eval.run.kernel_manager.ReportKernelClient",
                                    config=True)
    client_factory = Type(klass=ReportKernelClient, config=True)

    @property
    def kernel_spec(self) -> Any:
        """The kernel's specification, naming the forking provisioner
        (:data:`srb_eval.run.provisioner.PROVISIONER_NAME`) as its provisioner
        (when the package's entry point is installed; else the kernel is a fresh process,
        with a warning)."""
        spec = super().kernel_spec
        if spec is not None and "kernel_provisioner" not in spec.metadata:
            if provisioner_registered():
                spec.metadata["kernel_provisioner"] = {
                    "provisioner_name": PROVISIONER_NAME}
            else:
                spec.metadata["kernel_provisioner"] = {"provisioner_name": "local-provisioner"}
                self.log.warning("srb-eval: the kernel provisioner %r is not installed "
                                 "(reinstall the package: pip install -e .); starting a "
                                 "fresh kernel", PROVISIONER_NAME)
        return spec
