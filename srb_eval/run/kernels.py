"""Report kernels forked from a process that has imported the reports' libraries.

Every report runs in a Jupyter kernel of its own, so that reports cannot change each
other's state. A fresh kernel spends about 2.5 s of CPU importing pandas, SciPy,
matplotlib and pandera before its first cell: on the demo data that is
about half of a render, and of the test suite, which renders every report many times.

:class:`srb_eval.run.provisioner.ForkingProvisioner` is a jupyter_client *kernel
provisioner* (the documented way to change how a kernel process is started; registered
under the entry point name ``srb-eval-fork``). Instead of starting ``python -m
ipykernel_launcher -f <connection file>`` as a new program, it asks a *zygote* to fork:
a helper process (:mod:`srb_eval.run.zygote`), started once by the process that runs the
reports (a render, a test process), that imported :data:`srb_eval.run.zygote.PRELOAD`
(the reports' libraries) and :data:`srb_eval.run.zygote.PRELOAD_PACKAGES` (the package)
and then waits. The forked child becomes the kernel: the same ipykernel application with
the same connection file, working folder, environment and output streams as a fresh one;
it only starts with those modules in memory. Every report still gets a process of its
own; nothing a report does reaches the zygote or another report.

A fresh kernel is started instead (with a warning in the log where something failed):

- elsewhere than Linux (macOS forbids fork after its system libraries are loaded,
  Windows has no fork), or with ``SRB_EVAL_FRESH_KERNELS=1`` in the environment;
- when the kernel command is not ``<python> [options] -m ipykernel_launcher ...``, or
  the launch asks for its own standard streams;
- when the package's entry point is not installed, or no zygote can be started or
  answers (a zygote a parent process advertised that no longer answers is replaced).

What is read when a process starts or a library is imported cannot change after the
fork, so it chooses the zygote: the interpreter and its options, the variables of
:data:`STARTUP_ENV_PREFIXES` (``PYTHON*``, ``MALLOC_*``, ``PANDAS_*``, ``MPL*``, the
locale...) and a ``matplotlibrc`` in the working folder. A kernel asking for others gets
a zygote of its own. numpy's global random generator is seeded afresh in each kernel,
as on import. What still differs from a fresh kernel: the hash seed of ``str`` (shared
by the kernels of one zygote unless ``PYTHONHASHSEED`` fixes it; reports do not depend
on it), standard input (``/dev/null`` instead of an unused pipe), and a kernel that ends
by itself runs no ``atexit`` functions (renders stop kernels at once, where none run
either).

Lifetimes: the zygote ends when it is closed or when the thread that started it ends
(Linux's parent-death signal, and the end of its socket); each kernel ends with the
zygote and with the process that asked for it (a ``pidfd``); so a render that is killed
leaves no kernel behind. The zygote serves only its own user's processes
(``SO_PEERCRED``), and a client checks that it talks to the zygote it was told of and
that the process it gets back is that zygote's child. A zygote never runs a report's
cells (one that reads data ahead runs the package's :func:`srb_eval.data.io.load_dataset`).
It collects its ended kernels itself, so their CPU time counts as a fresh kernel's
would; their exit status does not reach the process that asked for them:
:class:`srb_eval.run.provisioner.ForkedKernel` reports the signal the provisioner sent,
else 0.

Renders use it through :class:`srb_eval.run.kernel_manager.ReportKernelManager`, with
one zygote for the whole render started by the render's own process
(:func:`zygote_for_children`), which reads the render's datasets after its imports,
before it forks the kernels (so each report's ``load_dataset`` finds its data read and
checked, :func:`srb_eval.data.io.read_ahead`; where a zygote runs already, as in the
tests, a :class:`ReadAheadZygote` forked from it reads them); the workers find it
through ``SRB_EVAL_ZYGOTES``. Requests to a zygote block the asking process (a render
worker runs one report at a time) for up to :data:`REQUEST_TIMEOUT`, or until
:data:`ZYGOTE_START_TIMEOUT` after the zygote started while it may still be importing. A
zygote that went away is replaced; a process's own zygote that stops answering is ended,
and the next kernel gets a new one. A kernel whose requester gave up before the answer
is ended by the zygote.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

from . import zygote as zygote_process
from .zygote import MAX_MESSAGE

#: Set to ``1`` to start every report kernel as a fresh process.
FRESH_KERNELS_ENV = "SRB_EVAL_FRESH_KERNELS"

#: Environment variables read when a process starts or a library is imported, which a
#: fork cannot change: Python's, glibc's and the loader's, the maths libraries' threads,
#: numpy's, pandas', SciPy's and matplotlib's settings, the locale, the time zone and
#: ``SRB_EVAL_ROOT`` (read when the package is imported, :mod:`srb_eval.paths`).
STARTUP_ENV_PREFIXES = ("PYTHON", "MALLOC_", "LD_", "OPENBLAS_", "OMP_", "MKL_", "NUMPY_",
                        "NPY_", "PANDAS_", "SCIPY_", "MPL", "MATPLOTLIB", "LANG", "LC_",
                        "TZ", "SRB_EVAL_ROOT")

#: Seconds after its start that a zygote may take to import
#: :data:`srb_eval.run.zygote.PRELOAD` (a request waits that long for a young zygote),
#: and seconds a request waits for an older one.
ZYGOTE_START_TIMEOUT = 300.0
REQUEST_TIMEOUT = 60.0
#: Seconds a zygote that is closed has to end by itself (and collect its ended kernels,
#: whose CPU time then counts in the render's) before it is killed.
CLOSE_WAIT = 2.0

#: The inline backend a Jupyter kernel selects for matplotlib. ipykernel sets it in
#: ``MPLBACKEND`` when the kernel starts, but matplotlib reads that variable when it is
#: imported, which the zygote does first; so the zygote sets it itself.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


class ZygoteError(RuntimeError):
    """A zygote could not be started or did not fork a kernel."""


class ZygoteUnreachable(ZygoteError):
    """No zygote answers at an address, or not the process that should."""


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


def zygote_key(python: list[str], env: dict[str, str], cwd: str) -> str:
    """A short name for the zygote that serves kernels of this interpreter (with its
    options), start-up settings and, when the working folder has one, ``matplotlibrc``
    (matplotlib reads it from the working folder when it is imported).

    >>> zygote_key(["/v/bin/python"], {"PYTHONHASHSEED": "0", "HOME": "/a"}, "/") == \\
    ...     zygote_key(["/v/bin/python"], {"PYTHONHASHSEED": "0", "HOME": "/b"}, "/")
    True
    >>> zygote_key(["/v/bin/python"], {"SRB_EVAL_ROOT": "/a"}, "/") == \\
    ...     zygote_key(["/v/bin/python"], {"SRB_EVAL_ROOT": "/b"}, "/")
    False
    """
    import hashlib

    rc = os.path.join(cwd, "matplotlibrc")
    blob = json.dumps([python, startup_env(env), rc if os.path.exists(rc) else ""]).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def _await_listening(zygote: Any, lifeline: socket.socket) -> None:
    """Give ``zygote`` its ``lifeline`` (it ends when that closes) and wait until it says
    it listens; one that does not is closed."""
    zygote.lifeline = lifeline
    lifeline.settimeout(30)
    try:
        listening = lifeline.recv(64)
    except OSError as exc:
        zygote.close()
        raise ZygoteError(f"no answer from the zygote: {exc}") from exc
    if listening != b"listening":
        zygote.close()
        raise ZygoteError("the zygote ended before it listened")


class Zygote:
    """A process that imports :data:`srb_eval.run.zygote.PRELOAD` and forks kernels on request.

    Started by the constructor (``python [options] -c``, running this file). It listens
    on a Unix socket in Linux's abstract namespace (no file; only processes of the same
    user are served, checked with ``SO_PEERCRED``, and clients check in turn that the
    zygote is the process they were told of), so that the process that started it and
    that process's children (a render's workers, a test's ``srb-eval`` command) can all
    ask it for kernels. It ends when it is closed or when the *thread* that started it
    ends (Linux's parent-death signal is per thread): start it from a thread that lives
    as long as the kernels, as :func:`zygote_for_children` and the provisioner do (the
    main thread of a render, a render worker or a test process).
    """

    def __init__(self, python: list[str], env: dict[str, str], address: str, cwd: str,
                 read_ahead: list[str] | tuple[str, ...] = ()) -> None:
        self.address = address
        self.owner = os.getpid()
        self.read_ahead = tuple(read_ahead)  # the datasets it reads after its imports
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        zenv = dict(env)
        zenv.setdefault("MPLBACKEND", INLINE_BACKEND)
        # zygote.py run as a script, so that its own code is not srb_eval's (the package
        # is preloaded for the kernels like any library, zygote.PRELOAD_PACKAGES); the
        # working folder leaves the module path first, as ipykernel_launcher does.
        code = ("import sys; del sys.path[0]; import runpy; "
                f"runpy.run_path({zygote_process.__file__!r}, run_name='__main__')")
        try:
            self.process = subprocess.Popen(
                [*python, "-c", code, str(theirs.fileno()), str(os.getpid()), address,
                 json.dumps(list(read_ahead))],
                pass_fds=[theirs.fileno()], env=zenv, cwd=cwd,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as exc:
            ours.close()
            raise ZygoteError(f"could not start {python[0]}: {exc}") from exc
        finally:
            theirs.close()
        # listening already (the imports come after): children may connect at once
        _await_listening(self, ours)

    @property
    def pid(self) -> int:
        """The zygote's process id."""
        return self.process.pid

    def alive(self) -> bool:
        """Whether the zygote still runs."""
        return self.process.poll() is None

    def close(self) -> None:
        """End the zygote (kernels it forked end with it): at once, unless it still has
        kernels (ended or not) to collect, which it does when its lifeline closes."""
        import psutil

        self.lifeline.close()
        try:
            kernels = psutil.Process(self.process.pid).children()
        except psutil.NoSuchProcess:
            kernels = []
        try:
            self.process.wait(timeout=CLOSE_WAIT if kernels else 0)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class ReadAheadZygote:
    """A zygote forked from another (the one at ``address``, process ``zygote_pid``)
    that reads datasets ahead before it forks kernels (:func:`srb_eval.data.io.read_ahead`),
    so that every report of a render gets its data already read and checked.

    It has the parent zygote's modules for nothing (a fork, not a new interpreter). It
    ends when it is closed, when this process ends or when its parent zygote ends.
    """

    def __init__(self, address: str, zygote_pid: int, env: dict[str, str],
                 read_ahead: list[str], inherited: tuple[str, ...] = ()) -> None:
        import secrets

        self.address = f"srb-eval-kernels-{secrets.token_hex(8)}"
        self.parent = zygote_pid
        # the datasets it holds: its own, and those its parent had read (``inherited``)
        self.read_ahead = (*inherited, *read_ahead)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        client = ZygoteClient(address, zygote_pid)
        try:
            self.pid = client.fork_zygote(self.address, env, list(read_ahead), theirs)
        except ZygoteError:
            ours.close()
            raise
        finally:
            theirs.close()
            client.close()
        _await_listening(self, ours)

    def alive(self) -> bool:
        """Whether the zygote still runs (as the child of its parent zygote)."""
        import psutil

        try:
            process = psutil.Process(self.pid)
            return process.ppid() == self.parent and process.status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    def close(self) -> None:
        """End the zygote (kernels it forked end with it); its parent collects it."""
        self.lifeline.close()  # it ends by itself, after collecting its ended kernels
        deadline = time.monotonic() + CLOSE_WAIT
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)


class ZygoteClient:
    """This process's connection to the zygote ``address``, which must be process
    ``zygote_pid`` of this user."""

    def __init__(self, address: str, zygote_pid: int) -> None:
        import struct

        self.address, self.zygote_pid = address, zygote_pid
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.settimeout(ZYGOTE_START_TIMEOUT)  # a zygote that accepts nobody: bounded
        try:
            self.sock.connect("\0" + address)
            creds = struct.Struct("3i")  # struct ucred: pid, uid, gid
            pid, uid, _ = creds.unpack(self.sock.getsockopt(
                socket.SOL_SOCKET, socket.SO_PEERCRED, creds.size))
        except OSError as exc:
            self.sock.close()
            raise ZygoteUnreachable(f"no zygote at {address}: {exc}") from exc
        if (pid, uid) != (zygote_pid, os.getuid()):
            self.sock.close()
            raise ZygoteUnreachable(f"{address} is not the zygote {zygote_pid} of this user")
        self._lock = threading.Lock()

    def timeout(self) -> float:
        """Seconds to wait for an answer: a young zygote may still be importing
        :data:`srb_eval.run.zygote.PRELOAD` (up to :data:`ZYGOTE_START_TIMEOUT` from its start)."""
        import psutil

        try:
            age = time.time() - psutil.Process(self.zygote_pid).create_time()
        except psutil.NoSuchProcess:
            return REQUEST_TIMEOUT
        return max(REQUEST_TIMEOUT, ZYGOTE_START_TIMEOUT - age)

    def fork(self, args: list[str], env: dict[str, str], cwd: str,
             streams: tuple[int, int] = (1, 2), ready: int | None = None) -> int:
        """Fork a kernel running ipykernel with ``args``; its process id. The kernel
        writes its standard output and error to the descriptors ``streams`` of this
        process (by default this process's own), and ends with this process. ``ready``:
        the write end of a pipe, which the kernel closes once ipykernel's initialisation
        is done, its sockets bound (this process's copy stays open: close it after the
        call)."""
        return self._request({"args": args, "env": env, "cwd": cwd, "owner": os.getpid()},
                             [*streams, *([] if ready is None else [ready])])

    def fork_zygote(self, address: str, env: dict[str, str], read_ahead: list[str],
                    lifeline: socket.socket) -> int:
        """Fork a zygote that reads the datasets ``read_ahead`` with ``env``, then serves
        kernels at ``address``; its process id. It ends when ``lifeline``'s other end
        closes or this process ends."""
        return self._request({"zygote": address, "env": env, "read_ahead": read_ahead,
                              "owner": os.getpid()}, [lifeline.fileno()])

    def _request(self, spec: dict[str, Any], fds: list[int]) -> int:
        import psutil

        request = json.dumps(spec).encode()
        if len(request) > MAX_MESSAGE:
            raise ZygoteError("kernel request too large")
        with self._lock:
            self.sock.settimeout(self.timeout())
            try:
                socket.send_fds(self.sock, [request], fds)
                reply = self.sock.recv(4096)
            except (BrokenPipeError, ConnectionResetError) as exc:
                raise ZygoteUnreachable(f"the zygote went away: {exc}") from exc
            except OSError as exc:  # a time-out: the zygote answers no more
                raise ZygoteError(f"the zygote did not fork: {exc}") from exc
        if not reply:
            raise ZygoteUnreachable("the zygote ended")
        answer = json.loads(reply)
        if "pid" not in answer:
            raise ZygoteError(answer.get("error", "the zygote did not fork"))
        pid = int(answer["pid"])
        try:
            parent = psutil.Process(pid).ppid()
        except psutil.NoSuchProcess as exc:
            raise ZygoteError(f"kernel {pid} ended at once") from exc
        if parent != self.zygote_pid:
            raise ZygoteError(f"process {pid} is not a kernel of zygote {self.zygote_pid}")
        return pid

    def close(self) -> None:
        """Close the connection (the zygote serves on)."""
        self.sock.close()


#: The zygotes this process started or was told of, as ``key=address@pid`` separated by
#: commas; inherited by child processes (a render's workers), which then ask those
#: zygotes for kernels.
ZYGOTES_ENV = "SRB_EVAL_ZYGOTES"

_own: dict[str, Zygote] = {}  # zygotes this process started, by key
_readers: dict[str, ReadAheadZygote] = {}  # this process's, of zygote_for_children, by key
_clients: dict[str, ZygoteClient] = {}  # this process's connections, by address
_inherited: list[Zygote] = []  # zygotes of the parent of a forked child (see below)
_lock = threading.Lock()


def _forget_inherited() -> None:
    """In a forked child: the parent's zygotes and connections are not this process's.
    (The parent's zygotes stay referenced, so that no ``Popen`` of a process that is not
    this process's child is finalised here.)"""
    global _lock
    _lock = threading.Lock()  # another thread may have held it at the fork
    for client in _clients.values():
        client.sock.close()  # this process's copy only; the parent keeps its connection
    _clients.clear()
    _inherited.extend(_own.values())
    _own.clear()
    _readers.clear()  # the child finds them advertised


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_inherited)


def _advertisements() -> list[tuple[str, str, int]]:
    """The zygotes advertised in this process's environment: (key, address, pid)."""
    found = []
    for item in os.environ.get(ZYGOTES_ENV, "").split(","):
        key, _, rest = item.partition("=")
        address, _, pid = rest.partition("@")
        if key and address and pid.isdigit():
            found.append((key, address, int(pid)))
    return found


def _set_advertisements(found: list[tuple[str, str, int]]) -> None:
    if found:
        os.environ[ZYGOTES_ENV] = ",".join(f"{k}={a}@{p}" for k, a, p in found)
    else:
        os.environ.pop(ZYGOTES_ENV, None)


def _unadvertise(address: str) -> None:
    _set_advertisements([f for f in _advertisements() if f[1] != address])


def start_zygote(python: list[str], env: dict[str, str], cwd: str,
                 read_ahead: list[str] | tuple[str, ...] = ()) -> tuple[str, int, bool]:
    """The zygote for this interpreter, start-up settings and working folder: this
    process's own if it runs, else one a parent process advertised that answers, else a
    new one (advertised to this process's future children in ``SRB_EVAL_ZYGOTES``), which
    reads the datasets ``read_ahead`` after its imports. Its address, its process id and
    whether it was started by this call."""
    import secrets

    key = zygote_key(python, env, cwd)
    with _lock:
        reader = _readers.get(key)
        if reader is not None and reader.alive():
            return reader.address, reader.pid, False
        zygote = _own.get(key)
        if zygote is not None and zygote.alive():
            return zygote.address, zygote.pid, False
        if zygote is not None:  # this process's zygote ended: it goes, with its name
            zygote.close()
            _unadvertise(zygote.address)
            stale = _clients.pop(zygote.address, None)
            if stale is not None:
                stale.close()
        for k, address, pid in _advertisements():
            if k != key:
                continue
            try:  # a parent's zygote: kept only if it answers as the process it should be
                if address not in _clients:
                    _clients[address] = ZygoteClient(address, pid)
                return address, pid, False
            except ZygoteUnreachable:
                _unadvertise(address)
        zygote = _own[key] = Zygote(python, env, f"srb-eval-kernels-{secrets.token_hex(8)}",
                                    cwd, read_ahead)
        _set_advertisements([f for f in _advertisements() if f[0] != key]
                            + [(key, zygote.address, zygote.pid)])
        return zygote.address, zygote.pid, True


def stop_zygote(key: str) -> None:
    """End the zygote this process started for ``key`` (its kernels end with it) and
    stop advertising it."""
    with _lock:
        zygote = _own.pop(key, None)
        if zygote is None:
            return
        zygote.close()
        client = _clients.pop(zygote.address, None)
        if client is not None:
            client.close()
        _unadvertise(zygote.address)


@contextlib.contextmanager
def zygote_for_children(kernel_name: str = "python3", env: dict[str, str] | None = None,
                        cwd: str | None = None,
                        read_ahead: list[str] | tuple[str, ...] = ()) -> Iterator[str | None]:
    """Within this block, the kernels that this process and its children start (a
    render's workers, a test's commands) are forked from one zygote, started here unless
    one is running already; it ends with the block if it was started here. Yields its
    address (``None`` where kernels are fresh processes).

    ``env`` is the environment the kernels will have (default: this process's); only its
    start-up settings matter (:func:`startup_env`). With ``read_ahead`` (dataset paths),
    the kernels come from a zygote that read those datasets first (each report then
    finds its data read and checked; where one cannot be read, the reports read it
    themselves): the zygote started here, or else a :class:`ReadAheadZygote` forked for
    this block from the one running.
    """
    python = report_kernel_python(kernel_name) if forking_supported() else None
    if python is None:
        yield None
        return
    env = dict(os.environ if env is None else env)
    cwd = cwd or os.getcwd()
    key = zygote_key(python, env, cwd)
    try:  # a zygote started here reads the data itself, while the workers start
        address, zygote_pid, started_here = start_zygote(python, env, cwd, read_ahead)
    except ZygoteError:
        address, started_here = None, False
    reader = None
    with _lock:  # what the zygote serving this process has read already, where known
        serving = next((z for z in (_readers.get(key), _own.get(key))
                        if z is not None and z.address == address), None)
    known = tuple(getattr(serving, "read_ahead", ()))
    wanted = [p for p in read_ahead if p not in known]
    if address is not None and wanted:
        try:
            reader = ReadAheadZygote(address, zygote_pid, env, wanted, known)
        except ZygoteError:
            reader = None
    before = os.environ.get(ZYGOTES_ENV)
    if reader is not None:  # this process and its children ask the reader for kernels
        with _lock:
            outer = _readers.get(key)
            _readers[key] = reader
            _set_advertisements([f for f in _advertisements() if f[0] != key]
                                + [(key, reader.address, reader.pid)])
    try:
        yield address if reader is None else reader.address
    finally:
        if reader is not None:
            reader.close()
            with _lock:
                if outer is None:
                    _readers.pop(key, None)
                else:
                    _readers[key] = outer
                stale = _clients.pop(reader.address, None)
                if stale is not None:
                    stale.close()
                if before is None:
                    os.environ.pop(ZYGOTES_ENV, None)
                else:
                    os.environ[ZYGOTES_ENV] = before
        if started_here:
            stop_zygote(key)


def fork_kernel(python: list[str], args: list[str], env: dict[str, str], cwd: str,
                streams: tuple[int, int] = (1, 2), ready: int | None = None) -> int:
    """Fork a kernel from the zygote for ``python``, ``env`` and ``cwd``, writing its
    standard output and error to this process's descriptors ``streams`` (``ready``: see
    :meth:`ZygoteClient.fork`). A zygote that went away is replaced once; this process's
    own zygote that stopped answering is ended (a new one serves the next kernel)."""
    for attempt in (1, 2):
        address, zygote_pid, _ = start_zygote(python, env, cwd)
        try:
            with _lock:
                client = _clients.get(address)
                if client is None:
                    client = _clients[address] = ZygoteClient(address, zygote_pid)
            return client.fork(args, env, cwd, streams, ready)
        except ZygoteError as exc:
            with _lock:
                dropped = _clients.pop(address, None)
                own = any(z.address == address for z in _own.values())
                if not own and isinstance(exc, ZygoteUnreachable):
                    _unadvertise(address)
            if dropped is not None:
                dropped.close()
            if own and not isinstance(exc, ZygoteUnreachable):
                stop_zygote(zygote_key(python, env, cwd))  # stuck: the next kernel gets a new one
            if attempt == 2 or not isinstance(exc, ZygoteUnreachable):
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def report_kernel_python(kernel_name: str = "python3") -> list[str] | None:
    """The interpreter and its options that the named kernel runs (its kernel
    specification), or ``None`` when it does not run ipykernel."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        argv = KernelSpecManager().get_kernel_spec(kernel_name).argv
    except NoSuchKernel:
        return None
    split = kernel_command(argv)
    return split[0] if split else None


def forking_supported() -> bool:
    """Whether kernels may be forked here: Linux, and not turned off."""
    return sys.platform.startswith("linux") and os.environ.get(FRESH_KERNELS_ENV, "") != "1"
