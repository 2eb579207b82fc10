"""The kernel provisioner of the reports: each kernel forked from a zygote
(:mod:`srb_eval.run.kernels`, which starts zygotes and asks them for kernels).

:class:`ForkingProvisioner` is registered with jupyter_client under the entry point name
:data:`PROVISIONER_NAME` (``pyproject.toml``), the documented way to change how a kernel
process is started. It forks the kernel from a zygote, waits until the kernel's sockets
are bound, and gives jupyter_client a :class:`ForkedKernel` to watch it by.

A kernel cannot choose its ports: jupyter_client picks five free ones, writes them to
the connection file and lets them go, and the kernel binds them as it starts. Another
process (another test worker's kernel, a render's other report) may bind one of them in
between; the kernel then ends with ZeroMQ's "Address already in use", and its client
reports only "Kernel died before replying to kernel_info" (nbval sends a kernel's
standard error to ``os.devnull``). A forked kernel that cannot bind its shell, IOPub,
stdin or control port says so on its ready pipe
(:func:`srb_eval.run.zygote.report_start_failure`); the provisioner logs why and, up to
:data:`KERNEL_START_ATTEMPTS` times, starts it again on five new ports, rewriting the
connection file through jupyter_client's own kernel manager. Only a kernel's first
start is tried again so: a restart keeps its ports (clients stay connected to them), as
jupyter_client promises. ipykernel binds the heartbeat port in a thread of its own, after
its initialisation: a kernel that loses that port runs on without a heartbeat, which
nbclient and nbval do not use (they ask the kernel manager whether the process runs).
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

from jupyter_client.connect import LocalPortCache, port_names
from jupyter_client.provisioning import LocalProvisioner

from .kernels import ZygoteError, fork_kernel, forking_supported, kernel_command

#: Entry point name of :class:`ForkingProvisioner` (``pyproject.toml``).
PROVISIONER_NAME = "srb-eval-fork"

#: Seconds a forked kernel's starter waits for ipykernel's initialisation (its sockets
#: bound) before it connects anyway (jupyter_client's start time-out then applies).
KERNEL_LISTEN_TIMEOUT = 30.0

#: Times a forked kernel is started that could not bind its ports (each time on new
#: ports) before its death is left to jupyter_client to report.
KERNEL_START_ATTEMPTS = 3

#: Seconds a kernel that failed to start has to end by itself before it is killed (and
#: started again).
FAILED_KERNEL_WAIT = 5.0


class ForkedKernel:
    """The kernel process as :class:`LocalProvisioner` expects it (``subprocess.Popen``'s
    ``pid``, ``poll``, ``wait``, ``send_signal``, ``kill``, ``terminate``), for a process
    that is the zygote's child rather than this process's."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        import psutil

        self.pid = pid
        self.returncode: int | None = None
        self._last_signal = 0
        try:
            self._process: Any = psutil.Process(pid)
        except psutil.NoSuchProcess:
            self._process = None
            self.returncode = 0

    def poll(self) -> int | None:
        """``None`` while the kernel runs, else its exit status as far as known."""
        import psutil

        if self.returncode is None:
            try:  # is_running also notices a process id reused by another process
                gone = (not self._process.is_running()
                        or self._process.status() == psutil.STATUS_ZOMBIE)
            except psutil.NoSuchProcess:
                gone = True
            if gone:
                self.returncode = -self._last_signal
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait until the kernel has ended (psutil's wait, which also serves a process
        that is not this process's child)."""
        import psutil

        if self.poll() is None:
            try:
                self._process.wait(timeout)
            except psutil.TimeoutExpired as exc:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0) from exc
            except psutil.NoSuchProcess:
                pass
            self.poll()
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` to the kernel's process group (the kernel leads its own, as
        a fresh kernel does); nothing once the kernel has ended, so that a reused process
        id is never signalled."""
        if self.poll() is None:
            self._last_signal = signum
            try:
                os.killpg(self.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        """End the kernel at once."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """Ask the kernel to end."""
        self.send_signal(signal.SIGTERM)


def output_streams(launch: dict[str, Any]) -> tuple[int, int] | None:
    """The descriptors of this process that a forked kernel is to write its standard
    output and error to, from the keyword arguments of a kernel launch
    (``jupyter_client.launcher.launch_kernel``'s ``stdout`` and ``stderr``): this
    process's own where none is given, else the file or descriptor given (nbval sends a
    kernel's standard error to ``os.devnull``). ``None`` where a fork cannot be given
    them: a pipe to create (``subprocess.PIPE``), a standard input to read.

    >>> import os, subprocess
    >>> output_streams({})
    (1, 2)
    >>> with open(os.devnull, "w") as devnull:
    ...     output_streams({"stderr": devnull}) == (1, devnull.fileno())
    True
    >>> output_streams({"stdout": subprocess.PIPE}) is None
    True
    """
    if launch.get("stdin") is not None:
        return None
    fds = []
    for name, own in (("stdout", 1), ("stderr", 2)):
        given = launch.get(name)
        if given is None:
            fds.append(own)
        elif isinstance(given, int) and not isinstance(given, bool) and given >= 0:
            fds.append(given)
        elif hasattr(given, "fileno"):
            try:
                fds.append(given.fileno())
            except (OSError, ValueError):  # closed, or not a file of the system
                return None
        else:
            return None
    return fds[0], fds[1]


async def start_failure(fd: int, timeout: float) -> dict[str, Any] | None:
    """Wait until the kernel that writes to the pipe ``fd`` reads from has bound its
    sockets (it closes the pipe) or has failed to (it writes why first,
    :func:`srb_eval.run.zygote.report_start_failure`), at most ``timeout`` seconds.
    Returns what the kernel wrote (``{"error": text, "errno": number or None}``), or
    ``None`` when it listens, ended without a word (killed) or did not answer in time.
    """
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    loop.add_reader(fd, lambda: done.done() or done.set_result(None))
    try:
        await asyncio.wait_for(done, timeout)
    except TimeoutError:
        return None
    finally:
        loop.remove_reader(fd)
    os.set_blocking(fd, False)
    try:
        said = os.read(fd, 65536)
    except BlockingIOError:
        return None
    try:
        report = json.loads(said) if said else None
    except ValueError:
        report = {"error": said.decode(errors="replace")}
    return report if isinstance(report, dict) else None


class ForkingProvisioner(LocalProvisioner):
    """Starts each kernel as a fork of a zygote (see the module's description); falls
    back to :class:`LocalProvisioner`'s fresh process where forking does not apply."""

    #: Whether this provisioner has started its kernel once (a later launch is a restart).
    started = False

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        """Fork the kernel for ``cmd`` from a zygote; a fresh process where that fails.
        A kernel that could not bind its ports is started again on new ones."""
        split = kernel_command(cmd)
        streams = output_streams(kwargs)
        if (split is None or streams is None or kwargs.get("independent")
                or not forking_supported()):
            return await super().launch_kernel(cmd, **kwargs)
        env = dict(kwargs.get("env") or os.environ)
        env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
        cwd = str(kwargs.get("cwd") or Path.cwd())
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            listening, ready = os.pipe()
            try:
                python, args = split
                pid = fork_kernel(python, args, env, cwd, streams, ready)
            except BaseException as exc:
                os.close(listening)
                if not isinstance(exc, ZygoteError):
                    raise
                self.log.warning("srb-eval: starting a fresh kernel (%s)", exc)
                return await super().launch_kernel(cmd, **kwargs)
            finally:
                os.close(ready)
            self.process = ForkedKernel(pid)
            self.pid = self.pgid = pid
            self.cwd = cwd
            try:
                failure = await start_failure(listening, KERNEL_LISTEN_TIMEOUT)
            finally:
                os.close(listening)
            if failure is None:
                break
            retry = (failure.get("errno") == errno.EADDRINUSE and not self.started
                     and attempt < KERNEL_START_ATTEMPTS and self._new_ports(kwargs))
            self.log.warning("srb-eval: kernel %d did not start (%s)%s", pid,
                             failure.get("error"), "; starting it on new ports" if retry else "")
            if not retry:
                break
            await self._ended()
        self.started = True
        return self.connection_info

    async def _ended(self) -> None:
        """Wait (up to :data:`FAILED_KERNEL_WAIT`) for a kernel that failed to start to
        end, then kill it if it has not, so that no failed kernel outlives its retry."""
        try:
            await asyncio.to_thread(self.process.wait, FAILED_KERNEL_WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def _new_ports(self, launch: dict[str, Any]) -> bool:
        """Give the kernel manager five new ports from jupyter_client's port cache, as
        :meth:`LocalProvisioner.pre_launch` chose the first, and write its connection file
        again; ``False`` (nothing changed) where the ports were not the cache's (no
        kernel manager, or one that chose them itself). The ports given up stay
        reserved in the cache for the life of this process."""
        km = self.parent
        if km is None or not self.ports_cached:
            return False
        cache = LocalPortCache.instance()
        km.cleanup_connection_file()
        for name in port_names:
            setattr(km, name, cache.find_available_port(km.ip))
        if "env" in launch:
            km.write_connection_file(jupyter_session=launch["env"].get("JPY_SESSION_NAME", ""))
        else:
            km.write_connection_file()
        self.connection_info = km.get_connection_info()
        return True

    async def send_signal(self, signum: int) -> None:
        """Signal a forked kernel's process group only while the kernel runs (the zygote
        collects ended kernels, so their ids may be reused); else as LocalProvisioner."""
        if isinstance(self.process, ForkedKernel):
            self.process.send_signal(signum)
            return
        await super().send_signal(signum)


def provisioner_registered() -> bool:
    """Whether :class:`ForkingProvisioner` is registered with jupyter_client (the entry
    point of an installed ``srb-eval``, naming this class: an install made before the
    class moved here names another, and needs reinstalling)."""
    from importlib.metadata import entry_points

    found = entry_points(group="jupyter_client.kernel_provisioners", name=PROVISIONER_NAME)
    try:  # an install older than the package's code may name a class that moved
        return any(ep.load() is ForkingProvisioner for ep in found)
    except (ImportError, AttributeError):
        return False
