"""Report kernels forked from a process that has imported the reports' libraries.

Every report runs in a Jupyter kernel of its own, so that reports cannot change each
other's state. A fresh kernel spends about 2.5 s of CPU importing pandas, SciPy,
matplotlib and pandera before its first cell: on the demo data that is
about half of a render, and of the test suite, which renders every report many times.

:class:`ForkingProvisioner` is a jupyter_client *kernel provisioner* (the documented way
to change how a kernel process is started; registered under the entry point name
``srb-eval-fork``). Instead of starting ``python -m ipykernel_launcher -f <connection
file>`` as a new program, it asks a *zygote* to fork: a helper process, started once by
the process that runs the reports (a render worker, a test process), that imported
:data:`PRELOAD` and then waits. The forked child becomes the kernel: the same ipykernel
application with the same connection file, working folder, environment and output
streams as a fresh one; it only starts with those modules in memory. Every report still
gets a process of its own; nothing a report does reaches the zygote or another report.

A fresh kernel is started instead (with a warning in the log where the zygote failed):

- elsewhere than Linux (macOS forbids fork after its system libraries are loaded,
  Windows has no fork);
- when the kernel command is not ``<python> [options] -m ipykernel_launcher ...``, or
  the launch asks for its own standard streams;
- when the zygote cannot be started or does not answer.

What Python, glibc and numpy read only at start-up (``PYTHON*``, ``MALLOC_*``,
``NUMPY_*``, ``OPENBLAS_*``, ``OMP_*``, ``MPLBACKEND``) and the interpreter with its
options are the zygote's key: a kernel asking for other values gets a zygote of its own.

Lifetimes: the zygote ends with the process that started it (Linux's parent-death
signal, and the end of its socket), and each kernel ends with the zygote; so a render
that is killed leaves no kernel behind. The zygote never runs report code. Its children
are reaped by the system (``SIGCHLD`` ignored), so a kernel's exit status is not known:
:class:`ForkedKernel` reports the signal the provisioner sent it, else 0.

Renders use it through :class:`ReportKernelManager` (``srb_eval.run.render``);
``SRB_EVAL_FRESH_KERNELS=1`` in the environment turns it off.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

#: Entry point name of :class:`ForkingProvisioner` (``pyproject.toml``).
PROVISIONER_NAME = "srb-eval-fork"

#: Set to ``1`` to start every report kernel as a fresh process.
FRESH_KERNELS_ENV = "SRB_EVAL_FRESH_KERNELS"

#: Modules the zygote imports before it forks kernels: the kernel itself and the
#: third-party libraries the reports use. Not ``srb_eval`` itself (0.3 s): each kernel
#: imports the package from the working tree as it is when the report starts. A module
#: that fails to import is skipped (the report imports it itself, and reports the error
#: as a fresh kernel would). Never a module that acts on import on the kernel it finds
#: (``matplotlib_inline``): the zygote is not a kernel.
PRELOAD = (
    "ipykernel.kernelapp",
    "numpy",
    "pandas",
    "pyarrow",
    "pyarrow.pandas_compat",
    "scipy.stats",
    "scipy.optimize",
    "statsmodels.api",
    "matplotlib.pyplot",
    "matplotlib.backends.backend_agg",
    "seaborn",
    "pandera.pandas",
    "babel.dates",
    "babel.numbers",
    "babel.support",
)

#: Environment variables read when a process starts, which a fork cannot change.
STARTUP_ENV_PREFIXES = ("PYTHON", "MALLOC_", "NUMPY_", "OPENBLAS_", "OMP_", "MKL_",
                        "MPLBACKEND", "LD_")

#: Seconds to wait for a zygote to import :data:`PRELOAD` and say it is ready.
ZYGOTE_START_TIMEOUT = 300.0

#: The inline backend a Jupyter kernel selects for matplotlib. ipykernel sets it in
#: ``MPLBACKEND`` when the kernel starts, but matplotlib reads that variable when it is
#: imported, which the zygote does first; so the zygote sets it itself.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"

_PR_SET_PDEATHSIG = 1
_MAX_MESSAGE = 1 << 20


class ZygoteError(RuntimeError):
    """A zygote could not be started or did not fork a kernel."""


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
            try:
                gone = self._process.status() == psutil.STATUS_ZOMBIE
            except psutil.NoSuchProcess:
                gone = True
            if gone:
                self.returncode = -self._last_signal
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait until the kernel has ended."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
            time.sleep(0.02)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` to the kernel (nothing once it has ended)."""
        if self.poll() is None:
            self._last_signal = signum
            os.kill(self.pid, signum)

    def kill(self) -> None:
        """End the kernel at once."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """Ask the kernel to end."""
        self.send_signal(signal.SIGTERM)


def startup_env(env: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The variables of ``env`` that a process reads when it starts (sorted pairs).

    >>> startup_env({"PYTHONHASHSEED": "0", "HOME": "/root", "MALLOC_TOP_PAD_": "1"})
    (('MALLOC_TOP_PAD_', '1'), ('PYTHONHASHSEED', '0'))
    """
    return tuple(sorted((k, v) for k, v in env.items() if k.startswith(STARTUP_ENV_PREFIXES)))


def kernel_command(cmd: list[str]) -> tuple[list[str], list[str]] | None:
    """A kernel command split into the interpreter with its options and the arguments
    of the ipykernel application; ``None`` when the command does not run
    ``python [options] -m ipykernel_launcher``.

    >>> kernel_command(["/v/bin/python", "-Xfrozen_modules=off", "-m", "ipykernel_launcher",
    ...                 "-f", "k.json"])
    (['/v/bin/python', '-Xfrozen_modules=off'], ['-f', 'k.json'])
    >>> kernel_command(["/usr/bin/R", "--slave"]) is None
    True
    """
    if "-m" not in cmd[1:]:
        return None
    at = cmd.index("-m", 1)
    options = cmd[1:at]
    if any(not o.startswith("-") or o == "-c" for o in options):
        return None
    if at + 1 >= len(cmd) or cmd[at + 1] not in ("ipykernel_launcher", "ipykernel"):
        return None
    return list(cmd[:at]), list(cmd[at + 2:])


class Zygote:
    """A process that imported :data:`PRELOAD` and forks kernels on request.

    Started by the constructor (``python [options] -c``, running this file); requests and replies are
    messages on a Unix socket pair, and the requester's standard output and error go
    with each request as file descriptors (``SCM_RIGHTS``), for the kernel to write to
    as a fresh kernel would.
    """

    def __init__(self, python: list[str], cwd: str, env: dict[str, str]) -> None:
        self.python, self.cwd = python, cwd
        self._lock = threading.Lock()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        zenv = dict(env)
        zenv.setdefault("MPLBACKEND", INLINE_BACKEND)
        # This file run as a script, so that the zygote imports nothing of srb_eval; the
        # working folder leaves the module path first, as ipykernel_launcher does.
        code = ("import sys; del sys.path[0]; import runpy; "
                f"runpy.run_path({__file__!r}, run_name='__main__')")
        try:
            self.process = subprocess.Popen(
                [*python, "-c", code, str(theirs.fileno()), str(os.getpid())],
                pass_fds=[theirs.fileno()], env=zenv, cwd=cwd,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as exc:
            ours.close()
            raise ZygoteError(f"could not start {python[0]}: {exc}") from exc
        finally:
            theirs.close()
        self.sock = ours
        self.sock.settimeout(ZYGOTE_START_TIMEOUT)
        try:
            ready = self.sock.recv(64)
        except OSError as exc:
            self.close()
            raise ZygoteError(f"no answer from the zygote: {exc}") from exc
        if ready != b"ready":
            self.close()
            raise ZygoteError("the zygote ended before it was ready")
        self.sock.settimeout(60)

    def alive(self) -> bool:
        """Whether the zygote still runs."""
        return self.process.poll() is None

    def fork(self, args: list[str], env: dict[str, str], cwd: str) -> int:
        """Fork a kernel running ipykernel with ``args``; its process id."""
        request = json.dumps({"args": args, "env": env, "cwd": cwd}).encode()
        if len(request) > _MAX_MESSAGE:
            raise ZygoteError("kernel request too large")
        with self._lock:
            try:
                socket.send_fds(self.sock, [request], [1, 2])
                reply = self.sock.recv(4096)
            except OSError as exc:
                raise ZygoteError(f"the zygote did not fork: {exc}") from exc
        if not reply:
            raise ZygoteError("the zygote ended")
        answer = json.loads(reply)
        if "pid" not in answer:
            raise ZygoteError(answer.get("error", "the zygote did not fork"))
        return int(answer["pid"])

    def close(self) -> None:
        """End the zygote (its kernels end with it)."""
        self.sock.close()
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


_zygotes: dict[tuple, Zygote] = {}
_zygotes_lock = threading.Lock()


def zygote_for(python: list[str], cwd: str, env: dict[str, str]) -> Zygote:
    """The running zygote for this interpreter (with its options) and start-up settings;
    started (in ``cwd``) if there is none. Each kernel moves to its own working folder."""
    key = (tuple(python), startup_env(env))
    with _zygotes_lock:
        zygote = _zygotes.get(key)
        if zygote is None or not zygote.alive():
            zygote = _zygotes[key] = Zygote(python, cwd, env)
        return zygote


def forking_supported() -> bool:
    """Whether kernels may be forked here: Linux, and not turned off."""
    return sys.platform.startswith("linux") and os.environ.get(FRESH_KERNELS_ENV, "") != "1"


class ForkingProvisioner(LocalProvisioner):
    """Starts each kernel as a fork of a zygote (see the module's description); falls
    back to :class:`LocalProvisioner`'s fresh process where forking does not apply."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        """Fork the kernel for ``cmd`` from a zygote; a fresh process where that fails."""
        split = kernel_command(cmd)
        streams = any(kwargs.get(k) is not None for k in ("stdin", "stdout", "stderr"))
        if split is None or streams or kwargs.get("independent") or not forking_supported():
            return await super().launch_kernel(cmd, **kwargs)
        env = dict(kwargs.get("env") or os.environ)
        env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
        cwd = str(kwargs.get("cwd") or Path.cwd())
        try:
            python, args = split
            pid = zygote_for(python, cwd, env).fork(args, env, cwd)
        except ZygoteError as exc:
            self.log.warning("srb-eval: starting a fresh kernel (%s)", exc)
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedKernel(pid)
        self.pid = self.pgid = pid
        self.cwd = cwd
        return self.connection_info


class ReportKernelManager(AsyncKernelManager):
    """The kernel manager for reports: as jupyter_client's, with kernels started by
    :class:`ForkingProvisioner` (named in the kernel specification's documented
    ``kernel_provisioner`` entry)."""

    @property
    def kernel_spec(self) -> Any:
        """The kernel's specification, naming :data:`PROVISIONER_NAME` as its provisioner."""
        spec = super().kernel_spec
        if spec is not None:
            spec.metadata["kernel_provisioner"] = {"provisioner_name": PROVISIONER_NAME}
        return spec


# --------------------------------------------------------------------------- the zygote


def serve(fd: int, parent: int) -> None:
    """The zygote's main loop (runs in the zygote process; see :class:`Zygote`)."""
    sock = socket.socket(fileno=fd)
    _die_with_parent(signal.SIGKILL)
    if os.getppid() != parent:  # the parent ended before the signal was asked for
        os._exit(1)
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S112 - the kernel imports it again and says why
            continue
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the system reaps the kernels
    sock.sendall(b"ready")
    while True:
        try:
            request, fds, _, _ = socket.recv_fds(sock, _MAX_MESSAGE, 2)
        except OSError:
            break
        if not request:
            break  # the requesting process closed its end: nothing more to do
        try:
            spec = json.loads(request)
            pid = os.fork()
        except Exception as exc:  # noqa: BLE001 - reported to the requester
            for f in fds:
                os.close(f)
            sock.sendall(json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode())
            continue
        if pid == 0:
            _become_kernel(sock, spec, fds)
        for f in fds:
            os.close(f)
        sock.sendall(json.dumps({"pid": pid}).encode())
    os._exit(0)


def _die_with_parent(signum: int) -> None:
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signum)


def _become_kernel(sock: socket.socket, spec: dict[str, Any], fds: list[int]) -> None:
    """Turn a freshly forked child of the zygote into the kernel (never returns)."""
    code = 1
    try:
        zygote = os.getppid()
        os.setsid()  # a process group of its own, as jupyter_client gives a kernel
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        _die_with_parent(signal.SIGKILL)
        if os.getppid() != zygote:
            os._exit(1)
        sock.close()
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        for target, f in zip((1, 2), fds, strict=False):
            os.dup2(f, target)
            os.close(f)
        os.chdir(spec["cwd"])
        os.environ.clear()
        os.environ.update(spec["env"])
        sys.argv = [sys.executable, *spec["args"]]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=spec["args"])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - shown in the kernel's log
        import traceback

        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001, S110 - ending anyway
                pass
        os._exit(code)


if __name__ == "__main__":  # the zygote: python kernels.py <socket fd> <parent pid>
    serve(int(sys.argv[1]), int(sys.argv[2]))
