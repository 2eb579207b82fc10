"""The zygote: a process that imports the reports' libraries once, then forks a child
for each report kernel it is asked for (see :mod:`srb_eval.run.kernels`, which starts
zygotes and asks them for kernels).

This module is run as a script by the zygote process (``runpy``): its own code imports
nothing of ``srb_eval``; the zygote then imports :data:`PRELOAD` and
:data:`PRELOAD_PACKAGES` for the kernels.

Protocol: the zygote listens on a Unix ``SOCK_SEQPACKET`` socket in Linux's abstract
namespace and serves only processes of its own user (``SO_PEERCRED``). A request is one
JSON message ``{"args": [...], "env": {...}, "cwd": "...", "owner": pid}`` carrying the
requester's standard output and error as two file descriptors (``SCM_RIGHTS``); the
answer is ``{"pid": n}`` (the kernel) or ``{"error": "..."}``. The kernel is ipykernel's
application with ``args``, in ``cwd`` with exactly ``env``, writing to those streams; it
ends when the zygote ends or when process ``owner`` ends. A third descriptor, if sent, is
the write end of a pipe that the kernel closes once ipykernel's initialisation is done
(its shell, control, stdin and IOPub sockets bound), so that the requester connects when
the kernel listens (a client that connects earlier is refused and retries only after
ZeroMQ's reconnect interval, 0.1 s); a kernel whose initialisation fails writes why to
it first (:func:`report_start_failure`). A request
``{"zygote": address, "env": {...}, "read_ahead": [paths], "owner": pid}`` carrying one
descriptor (a lifeline socket) forks a zygote that reads those datasets with ``env``,
then serves at ``address``; it ends when the lifeline's other end closes, when ``owner``
ends or when its parent zygote ends. Started as a script, the zygote takes the lifeline's
descriptor, its parent's process id, its address and, optionally, the datasets to read
(a JSON list).
"""

from __future__ import annotations

import gc
import json
import os
import signal
import socket
import sys
import threading
import time
from typing import Any

#: Modules the zygote imports before it forks kernels: the kernel itself and the
#: third-party libraries the reports use; then every module of :data:`PRELOAD_PACKAGES`.
#: A module that fails to import is skipped (the report imports it itself, and reports
#: the error as a fresh kernel would). Never a module that acts on import on the kernel
#: it finds (``matplotlib_inline``): the zygote is not a kernel.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.debugger",  # each kernel's Debugger (debugpy): 0.15 s a kernel
    "psutil",  # jupyter_client's local addresses, as each kernel starts: 0.13 s a kernel
    "numpy",
    "pandas",
    "pandas.io.formats.style",  # DataFrame.style imports it (and jinja2) on first use
    "pyarrow",
    "pyarrow.pandas_compat",
    "scipy.stats",
    "scipy.optimize",
    "statsmodels.formula.api",  # what stats.effects imports (not all of statsmodels.api)
    "matplotlib.pyplot",
    "matplotlib.backends.backend_agg",
    "seaborn",
    "pandera.pandas",
    "babel.dates",
    "babel.numbers",
    "babel.support",
)

#: Packages whose every module the zygote imports after :data:`PRELOAD`: the parts of
#: ``srb_eval`` that report cells use (0.3 s of CPU a kernel; not ``srb_eval.run``,
#: which renders and never runs in a kernel). A kernel so runs the package as it was when
#: its zygote started, that is when the render started (the commit its manifest
#: records), not as edited since; a JupyterLab kernel, which is not forked, imports it
#: afresh.
PRELOAD_PACKAGES = ("srb_eval.data", "srb_eval.stats", "srb_eval.measures", "srb_eval.report")

#: Seconds between the zygote's collections of kernels that have ended.
REAP_INTERVAL = 0.2

#: ``prctl`` option asking Linux to signal a process when its parent thread ends.
PR_SET_PDEATHSIG = 1
#: Largest kernel request, in bytes.
MAX_MESSAGE = 1 << 20


def serve(fd: int, parent: int, address: str, *, owner: int | None = None,
          read_ahead: list[str] | tuple[str, ...] = ()) -> None:
    """The zygote's main loop (runs in the zygote process; see :class:`Zygote`).

    ``fd`` is the lifeline (the zygote ends when its other end closes), ``parent`` the
    process that must still be this one's parent. The datasets ``read_ahead`` are read
    (:func:`srb_eval.data.io.read_ahead`) after the imports, before the first kernel is
    forked. A zygote forked from another for a render (:func:`_answer`) also ends when
    process ``owner`` (the render) ends.
    """
    import select
    import struct

    lifeline = socket.socket(fileno=fd)
    die_with_parent(signal.SIGKILL)
    if os.getppid() != parent:  # the parent ended before the signal was asked for
        os._exit(1)
    watch = [lifeline]
    if owner is not None:
        try:
            watch.append(os.pidfd_open(owner))  # readable once the owner has ended
        except OSError:
            os._exit(1)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind("\0" + address)
    listener.listen(64)
    lifeline.sendall(b"listening")
    stop = _end_when_ready(watch)  # the imports and the data take a while: end meanwhile
    preload()
    if read_ahead:
        _read_ahead(read_ahead)
    stop()  # no thread of its own is left when it forks
    # Everything imported and read so far lives as long as the zygote: kept out of the
    # garbage collector's generations, so that no kernel's collection walks those objects
    # again, which would also copy every page they are on into the kernel (copy on write),
    # as the documentation of gc.freeze advises before forking.
    gc.freeze()
    creds = struct.Struct("3i")  # struct ucred: pid, uid, gid
    conns: list[socket.socket] = []
    while True:
        ready, _, _ = select.select([*watch, listener, *conns], [], [], REAP_INTERVAL)
        _reap()
        if any(w in ready for w in watch):
            break  # the process that started the zygote closed it, or ended
        if listener in ready:
            try:
                conn, _ = listener.accept()
                _, uid, _ = creds.unpack(conn.getsockopt(
                    socket.SOL_SOCKET, socket.SO_PEERCRED, creds.size))
            except OSError:
                continue
            if uid == os.getuid():
                conns.append(conn)
            else:  # only this user's processes get kernels
                conn.close()
        for conn in [c for c in conns if c in ready]:
            try:
                _answer(conn, [lifeline, listener, *conns], watch[1:])
            except OSError:  # the requester went away: its kernel (if any) ends with it
                conns.remove(conn)
                conn.close()
    _reap()  # the kernels that have ended count in this process's time
    os._exit(0)


def _end_when_ready(watch: list) -> Any:
    """End this process at once when one of ``watch`` (the lifeline, the owner's pidfd)
    becomes readable, until the function returned is called (it stops the watch)."""
    import select

    stop_r, stop_w = os.pipe()

    def run() -> None:
        ready, _, _ = select.select([*watch, stop_r], [], [])
        if stop_r not in ready:
            os._exit(0)

    thread = threading.Thread(target=run, name="srb-eval-lifeline", daemon=True)
    thread.start()

    def stop() -> None:
        os.write(stop_w, b"x")
        thread.join()
        os.close(stop_r)
        os.close(stop_w)

    return stop


def preload() -> None:
    """Import :data:`PRELOAD`, then every module of :data:`PRELOAD_PACKAGES`."""
    import importlib
    import pkgutil

    def load(name: str) -> Any:
        try:
            return importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the kernel imports it again and says why
            return None

    for name in PRELOAD:
        load(name)
    for name in PRELOAD_PACKAGES:
        package = load(name)
        try:  # walk_packages imports subpackages itself, and lets their errors through
            for info in pkgutil.walk_packages(getattr(package, "__path__", []), f"{name}.",
                                              onerror=lambda _: None):
                load(info.name)
        except Exception:  # noqa: BLE001, S110 - the kernel imports it again and says why
            pass


def _read_ahead(paths: list[str] | tuple[str, ...]) -> None:
    """Read each dataset of ``paths`` ahead for the kernels to come (a dataset that
    cannot be read is left to the reports, which say why)."""
    import importlib

    try:
        reader = importlib.import_module("srb_eval.data.io").read_ahead
        for path in paths:
            reader(path)
    except Exception:  # noqa: BLE001, S110 - the reports load their data themselves
        pass


def _answer(conn: socket.socket, inherited: list[socket.socket],
            handles: list[int] | None = None) -> None:
    """Read one request from ``conn``, fork its kernel (or, for a request naming a
    ``zygote`` address, a zygote that reads data ahead) and reply with its process id.
    Raises ``OSError`` when the requester has gone. ``inherited`` and ``handles``: the
    sockets and other descriptors that the child closes."""
    request, fds, _, _ = socket.recv_fds(conn, MAX_MESSAGE, 3)
    if not request:
        raise ConnectionResetError("the requester closed its connection")
    try:
        spec = json.loads(request)
        pid = os.fork()
    except Exception as exc:  # noqa: BLE001 - reported to the requester
        for f in fds:
            os.close(f)
        conn.sendall(json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode())
        return
    if pid == 0:
        for handle in handles or []:
            os.close(handle)
        if "zygote" in spec:
            _become_zygote(inherited, spec, fds)
        _become_kernel(inherited, spec, fds)
    for f in fds:
        os.close(f)
    try:
        conn.sendall(json.dumps({"pid": pid}).encode())
    except OSError:  # nobody will use this kernel (the requester gave up): end it
        os.kill(pid, signal.SIGKILL)
        raise


def _reap() -> None:
    """Collect the kernels that have ended (their CPU time then counts in the zygote's
    children's, and so in its starter's, as a fresh kernel's would)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def die_with_parent(signum: int) -> None:
    """Ask Linux to send this process ``signum`` when the thread that started it ends."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signum)


def _end_with(owner: int) -> None:
    """End this process (at once) when process ``owner`` ends."""
    import select

    import psutil

    try:
        handle = os.pidfd_open(owner)
    except (OSError, AttributeError):
        handle = None
        if not psutil.pid_exists(owner):
            os._exit(1)

    def watch() -> None:
        if handle is not None:
            select.select([handle], [], [])  # readable once the process has ended
        else:
            while psutil.pid_exists(owner):
                time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="srb-eval-owner", daemon=True).start()


def _become_zygote(inherited: list[socket.socket], spec: dict[str, Any],
                   fds: list[int]) -> None:
    """Turn a freshly forked child of the zygote into a zygote that reads the datasets
    ``spec["read_ahead"]`` with the environment ``spec["env"]``, then forks kernels at
    ``spec["zygote"]`` until ``fds[0]`` closes or process ``spec["owner"]`` ends (never
    returns)."""
    try:
        parent = os.getppid()
        for sock in inherited:
            sock.close()
        for extra in fds[1:]:
            os.close(extra)
        os.environ.clear()
        os.environ.update(spec["env"])
        serve(fds[0], parent, str(spec["zygote"]), owner=int(spec["owner"]),
              read_ahead=[str(p) for p in spec.get("read_ahead", [])])
    finally:
        os._exit(1)  # serve ends the process itself when it is done


def report_start_failure(ready: int, exc: BaseException) -> None:
    """Tell the requester, on the kernel's ready pipe ``ready``, why ipykernel's
    initialisation failed: one JSON message ``{"error": text, "errno": number or None}``
    (ZeroMQ's error number where a socket could not be bound, ``errno.EADDRINUSE`` when
    another process took one of the kernel's ports), read by
    :func:`srb_eval.run.provisioner.start_failure`."""
    number = getattr(exc, "errno", None)
    said = json.dumps({"error": f"{type(exc).__name__}: {exc}"[:500],
                       "errno": number if isinstance(number, int) else None})
    try:
        os.write(ready, said.encode())  # < PIPE_BUF (4096) bytes: written in one piece
    except OSError:  # the requester gave up waiting
        pass


def _become_kernel(inherited: list[socket.socket], spec: dict[str, Any],
                   fds: list[int]) -> None:
    """Turn a freshly forked child of the zygote into the kernel (never returns)."""
    code = 1
    try:
        zygote = os.getppid()
        os.setsid()  # a process group of its own, as jupyter_client gives a kernel
        die_with_parent(signal.SIGKILL)
        if os.getppid() != zygote:
            os._exit(1)
        for sock in inherited:
            sock.close()
        _end_with(int(spec["owner"]))
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        for target, f in zip((1, 2), fds[:2], strict=False):
            os.dup2(f, target)
            os.close(f)
        ready = fds[2] if len(fds) > 2 else None  # closed once the kernel listens
        if ready is not None:  # (a process started during initialisation must not keep it)
            os.set_inheritable(ready, False)
        os.chdir(spec["cwd"])
        os.environ.clear()
        os.environ.update(spec["env"])
        if "numpy" in sys.modules:  # numpy's global generator, seeded afresh as on import
            sys.modules["numpy"].random.seed()
        args = list(spec["args"])
        if spec["env"].get("JPY_PARENT_PID", "").isdigit():
            # ipykernel reads this variable when it is imported, which the zygote did
            args.append(f"--IPKernelApp.parent_handle={spec['env']['JPY_PARENT_PID']}")
        sys.argv = [sys.executable, *args]
        from ipykernel import kernelapp

        # IPKernelApp.launch_instance, with the requester told when the sockets are bound
        app = kernelapp.IPKernelApp.instance()
        try:
            app.initialize(args)
        except BaseException as exc:
            if ready is not None:
                report_start_failure(ready, exc)
            raise
        if ready is not None:
            os.close(ready)
        app.start()
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


if __name__ == "__main__":
    # the zygote: python zygote.py <socket fd> <parent pid> <address> [<paths to read, JSON>]
    serve(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3],
          read_ahead=json.loads(sys.argv[4]) if len(sys.argv) > 4 else [])
