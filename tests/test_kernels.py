"""Report kernels forked from a zygote (srb_eval.run.kernels): the same kernel as a fresh
one, isolated from each other, interruptible, and gone when the process that asked for
them is gone."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import psutil
import pytest
import zmq
from nbclient import NotebookClient

from srb_eval.run import kernel_manager, kernels, provisioner
from srb_eval.run.kernel_manager import ReportKernelManager
from srb_eval.run.kernels import FRESH_KERNELS_ENV
from srb_eval.run.zygote import report_start_failure

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="kernels are forked on Linux only")

PROBE = ("import os, sys, json; print(json.dumps({'pid': os.getpid(), 'ppid': os.getppid(), "
         "'pandas_loaded_before': 'pandas' in sys.modules, "
         "'measures_loaded_before': 'srb_eval.measures.progress' in sys.modules, "
         "'report_loaded_before': 'srb_eval.report.notebook' in sys.modules, "
         "'run_loaded_before': 'srb_eval.run.render' in sys.modules, 'cwd': os.getcwd(), "
         "'styler_loaded_before': 'pandas.io.formats.style' in sys.modules, "
         "'debugger_loaded_before': 'ipykernel.debugger' in sys.modules, "
         "'formulas_loaded_before': 'statsmodels.formula.api' in sys.modules, "
         "'statsmodels_api_loaded_before': 'statsmodels.api' in sys.modules, "
         "'marker': os.environ.get('SRB_TEST_MARKER'), 'pgid': os.getpgid(0)}))")


def started_here(zygote: psutil.Process) -> bool:
    """Whether ``zygote`` is this process's, or the one forked from it that read data
    ahead (tests/conftest.py)."""
    return os.getpid() in (zygote.ppid(), psutil.Process(zygote.ppid()).ppid())


def run_cells(cells: list[str], *, cwd: Path, manager=ReportKernelManager, **client) -> list:
    """Execute code cells in a new kernel; the notebook's cells with their outputs."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    NotebookClient(nb, kernel_name="python3", kernel_manager_class=manager,
                   resources={"metadata": {"path": str(cwd)}}, **client).execute()
    return nb.cells


def probe(cell) -> dict:
    return json.loads(cell.outputs[0]["text"])


def test_a_report_kernel_is_forked_from_a_zygote_that_imported_the_stack(tmp_path, monkeypatch):
    monkeypatch.setenv("SRB_TEST_MARKER", "seen")
    monkeypatch.delenv(FRESH_KERNELS_ENV, raising=False)
    first, = run_cells([PROBE], cwd=tmp_path)
    second, = run_cells([PROBE], cwd=tmp_path)
    a, b = probe(first), probe(second)
    assert a["ppid"] != os.getpid() and a["ppid"] == b["ppid"]  # both children of one zygote
    assert a["pid"] != b["pid"]
    assert a["pandas_loaded_before"] and b["pandas_loaded_before"]
    assert a["measures_loaded_before"] and a["report_loaded_before"]  # the package too
    assert not a["run_loaded_before"]  # but not the run layer, which no report uses
    # what every kernel imports on start (its debugger) or at its first table (Styler)
    assert a["debugger_loaded_before"] and a["styler_loaded_before"]
    # statsmodels as the reports use it (stats.effects: its formula interface), not the
    # whole of statsmodels.api (0.3 s more for every zygote)
    assert a["formulas_loaded_before"] and not a["statsmodels_api_loaded_before"]
    assert a["cwd"] == str(tmp_path) and a["marker"] == "seen"  # cwd and environment passed
    # psutil, which each kernel imports as it starts (jupyter_client's local addresses),
    # is imported by the zygote: its C extension is mapped there
    assert "_psutil_linux" in Path(f"/proc/{a['ppid']}/maps").read_text()
    assert a["pgid"] == a["pid"]  # a process group of its own, as a fresh kernel
    assert started_here(psutil.Process(a["ppid"]))
    assert not psutil.pid_exists(a["pid"]) or psutil.Process(a["pid"]).status() == "zombie"


def test_a_kernel_sees_the_project_root_of_its_own_environment(tmp_path, monkeypatch):
    """``srb_eval.paths`` reads SRB_EVAL_ROOT on import, which the zygote did: another
    root must get another zygote."""
    monkeypatch.delenv(FRESH_KERNELS_ENV, raising=False)
    monkeypatch.delenv("SRB_EVAL_ROOT", raising=False)
    cell = "import os, srb_eval.paths as p; print(p.PROJECT_ROOT, os.getppid())"
    default, = run_cells([cell], cwd=tmp_path)
    monkeypatch.setenv("SRB_EVAL_ROOT", str(tmp_path))
    moved, = run_cells([cell], cwd=tmp_path)
    root_a, zygote_a = default.outputs[0]["text"].split()
    root_b, zygote_b = moved.outputs[0]["text"].split()
    assert root_a == str(Path(kernels.__file__).resolve().parents[2])
    assert root_b == str(tmp_path.resolve()) and zygote_b != zygote_a


def test_a_kernel_given_a_file_for_its_errors_is_forked_and_writes_there(tmp_path,
                                                                         monkeypatch):
    # nbval starts its kernels with stderr=open(os.devnull, "w"): such a kernel is forked
    # too, with that file as its standard error
    from jupyter_client.manager import KernelManager

    monkeypatch.delenv(FRESH_KERNELS_ENV, raising=False)
    errors = tmp_path / "kernel-errors.txt"
    km = KernelManager(kernel_name="python3")
    with open(errors, "w") as stderr:
        km.start_kernel(stderr=stderr, cwd=str(tmp_path))
    try:
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        kc.execute_interactive("import os; os.write(2, b'written-by-the-kernel')",
                               timeout=60)
        pid = km.provisioner.pid
        assert isinstance(km.provisioner.process, provisioner.ForkedKernel)
        assert started_here(psutil.Process(psutil.Process(pid).ppid()))
        opened = {Path(f.path) for f in psutil.Process(pid).open_files()}
        assert errors in opened
        kc.stop_channels()
    finally:
        km.shutdown_kernel(now=True)


def test_a_kernel_whose_output_is_piped_is_a_fresh_process(tmp_path, monkeypatch):
    import subprocess

    from jupyter_client.manager import KernelManager

    monkeypatch.delenv(FRESH_KERNELS_ENV, raising=False)
    km = KernelManager(kernel_name="python3")
    km.start_kernel(stdout=subprocess.PIPE, cwd=str(tmp_path))
    try:
        assert not isinstance(km.provisioner.process, provisioner.ForkedKernel)
        assert psutil.Process(km.provisioner.pid).ppid() == os.getpid()
    finally:
        km.shutdown_kernel(now=True)


def test_fresh_kernels_when_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv(FRESH_KERNELS_ENV, "1")
    cell, = run_cells([PROBE], cwd=tmp_path)
    got = probe(cell)
    assert got["ppid"] == os.getpid() and not got["pandas_loaded_before"]


def test_a_zygote_that_fails_gives_a_fresh_kernel(tmp_path, monkeypatch, caplog):
    monkeypatch.delenv(FRESH_KERNELS_ENV, raising=False)

    def broken(*args, **kwargs):
        raise kernels.ZygoteError("no zygote today")

    monkeypatch.setattr(provisioner, "fork_kernel", broken)
    cell, = run_cells([PROBE], cwd=tmp_path)
    assert probe(cell)["ppid"] == os.getpid()
    assert "starting a fresh kernel (no zygote today)" in caplog.text


def test_reports_share_no_state(tmp_path, monkeypatch):
    monkeypatch.delenv(FRESH_KERNELS_ENV, raising=False)
    run_cells(["import pandas as pd\npd.set_option('display.max_rows', 3)\nLEAK = 1"],
              cwd=tmp_path)
    cell, = run_cells(["import pandas as pd\nprint(pd.get_option('display.max_rows'), "
                       "'LEAK' in globals())"], cwd=tmp_path)
    assert cell.outputs[0]["text"].split() == ["60", "False"]


def test_unseeded_numpy_draws_differ_between_kernels(tmp_path, monkeypatch):
    """Every fork would start from the zygote's copy of numpy's global generator; each
    kernel seeds it afresh, as a new process does when it imports numpy."""
    monkeypatch.delenv(FRESH_KERNELS_ENV, raising=False)
    draw = "import numpy as np\nprint(np.random.random())"
    first, = run_cells([draw], cwd=tmp_path)
    second, = run_cells([draw], cwd=tmp_path)
    assert first.outputs[0]["text"] != second.outputs[0]["text"]


def test_a_matplotlibrc_in_the_working_folder_applies(tmp_path, monkeypatch):
    """matplotlib reads ``matplotlibrc`` from the working folder when it is imported: a
    folder with one gets a zygote of its own, started there."""
    monkeypatch.delenv(FRESH_KERNELS_ENV, raising=False)
    (tmp_path / "matplotlibrc").write_text("lines.linewidth: 7\n")
    cell, = run_cells(["import os, matplotlib.pyplot as plt\n"
                       "print(plt.rcParams['lines.linewidth'], os.getppid())"], cwd=tmp_path)
    width, parent = cell.outputs[0]["text"].split()
    assert width == "7.0"
    assert int(parent) != os.getpid()  # forked (from a zygote started in that folder)


def test_a_requester_that_hangs_up_does_not_end_the_zygote(tmp_path, monkeypatch,
                                                           report_kernels):
    """A worker stopped while it waits for its kernel: the zygote serves on, and ends
    the kernel nobody will use."""
    import socket

    if not report_kernels:
        pytest.skip("kernels are fresh processes here")
    monkeypatch.delenv(FRESH_KERNELS_ENV, raising=False)
    cell, = run_cells([PROBE], cwd=tmp_path)
    zygote = psutil.Process(probe(cell)["ppid"])
    time.sleep(0.5)  # the zygote collects that kernel
    before = {c.pid for c in zygote.children()}
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect("\0" + report_kernels)
    s.shutdown(socket.SHUT_RD)  # the answer cannot be delivered
    request = json.dumps({"args": [], "env": dict(os.environ), "cwd": str(tmp_path),
                          "owner": os.getpid()})  # an owner that lives on
    socket.send_fds(s, [request.encode()], [1, 2])
    time.sleep(1.5)
    s.close()
    assert {c.pid for c in zygote.children()} <= before  # no kernel left for nobody
    cell, = run_cells([PROBE], cwd=tmp_path)
    assert probe(cell)["ppid"] == zygote.pid  # the same zygote served the next kernel


def test_a_dead_zygote_advertised_by_a_parent_is_replaced(tmp_path):
    script = tmp_path / "stale.py"
    script.write_text(textwrap.dedent("""
        import asyncio, os, sys
        import psutil
        from srb_eval.run import kernel_manager, kernels

        python = kernels.report_kernel_python("python3")
        key = kernels.zygote_key(python, dict(os.environ), sys.argv[1])
        os.environ[kernels.ZYGOTES_ENV] = f"{key}=srb-eval-kernels-gone@{2**22 + 7}"

        async def main():
            km = kernel_manager.ReportKernelManager(kernel_name="python3")
            await km.start_kernel(cwd=sys.argv[1])
            zygote = psutil.Process(psutil.Process(km.provisioner.pid).ppid())
            print(zygote.ppid() == os.getpid(), "gone" in os.environ[kernels.ZYGOTES_ENV])
            await km.shutdown_kernel(now=True)

        asyncio.run(main())
    """))
    env = {k: v for k, v in os.environ.items()
           if k not in (FRESH_KERNELS_ENV, kernels.ZYGOTES_ENV)}
    out = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True,
                         text=True, env=env, timeout=300, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "False"]  # its own zygote; the stale name gone
    assert "starting a fresh kernel" not in out.stderr


def test_a_zygote_that_ended_is_replaced(tmp_path):
    script = tmp_path / "twice.py"
    script.write_text(textwrap.dedent("""
        import asyncio, sys
        import psutil
        from srb_eval.run.kernel_manager import ReportKernelManager

        async def kernel_parent():
            km = ReportKernelManager(kernel_name="python3")
            await km.start_kernel(cwd=sys.argv[1])
            ppid = psutil.Process(km.provisioner.pid).ppid()
            await km.shutdown_kernel(now=True)
            return ppid

        first = asyncio.run(kernel_parent())
        psutil.Process(first).kill()
        psutil.Process(first).wait(10)
        second = asyncio.run(kernel_parent())
        print(first, second)
    """))
    env = {k: v for k, v in os.environ.items()
           if k not in (FRESH_KERNELS_ENV, kernels.ZYGOTES_ENV)}
    out = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True,
                         text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    first, second = map(int, out.stdout.split())
    assert first != second  # a new zygote, not a fresh kernel (its parent is no zygote)
    assert "starting a fresh kernel" not in out.stderr


def test_without_the_entry_point_kernels_are_fresh(tmp_path, monkeypatch, caplog):
    monkeypatch.delenv(FRESH_KERNELS_ENV, raising=False)
    monkeypatch.setattr(kernel_manager, "provisioner_registered", lambda: False)
    cell, = run_cells([PROBE], cwd=tmp_path)
    assert probe(cell)["ppid"] == os.getpid()
    assert caplog.text.count("'srb-eval-fork' is not installed") == 1


def test_a_forked_kernel_is_interrupted_on_timeout(tmp_path, monkeypatch):
    monkeypatch.delenv(FRESH_KERNELS_ENV, raising=False)
    cells = run_cells(["import time\ntry:\n    time.sleep(60)\nexcept KeyboardInterrupt:\n"
                       "    print('interrupted')\n    raise", "print('after')"],
                      cwd=tmp_path, timeout=3, interrupt_on_timeout=True, allow_errors=True)
    # (print's text and its newline may reach the client as two stream messages)
    texts = "".join(o.get("text", "") for o in cells[0].outputs)
    assert "interrupted\n" in texts
    assert cells[1].outputs[0]["text"] == "after\n"  # the kernel lived on


def test_figures_and_tables_are_the_same_as_from_a_fresh_kernel(tmp_path, monkeypatch):
    code = ["import matplotlib.pyplot as plt, pandas as pd\n"
            "pd.DataFrame({'a': [1, 2], 'b': [0.5, 1.5]})",
            "fig, ax = plt.subplots(figsize=(2, 1)); ax.plot([1, 3, 2]); plt.show()"]
    monkeypatch.delenv(FRESH_KERNELS_ENV, raising=False)
    forked = run_cells(code, cwd=tmp_path)
    monkeypatch.setenv(FRESH_KERNELS_ENV, "1")
    fresh = run_cells(code, cwd=tmp_path)

    def outputs(cells):
        text = json.dumps([c.outputs for c in cells], sort_keys=True)
        return re.sub(r" at 0x[0-9a-f]+", "", text)

    assert "image/png" in outputs(forked)
    assert outputs(forked) == outputs(fresh)


OWNER = """
import asyncio, os, sys, time
from srb_eval.run.kernel_manager import ReportKernelManager

async def main():
    km = ReportKernelManager(kernel_name="python3")
    await km.start_kernel(cwd=sys.argv[1])
    print(km.provisioner.pid, flush=True)
    time.sleep(600)

asyncio.run(main())
"""


def start_owner(tmp_path: Path, env: dict[str, str]) -> tuple[subprocess.Popen, psutil.Process]:
    """A process that starts one report kernel and waits; it and its kernel."""
    script = tmp_path / "owner.py"
    script.write_text(OWNER)
    owner = subprocess.Popen([sys.executable, str(script), str(tmp_path)],
                             stdout=subprocess.PIPE, text=True, env=env)
    return owner, psutil.Process(int(owner.stdout.readline()))


def test_kernels_and_zygote_end_with_the_process_that_started_them(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in (FRESH_KERNELS_ENV, kernels.ZYGOTES_ENV)}
    owner, kernel = start_owner(tmp_path, env)
    try:
        zygote = psutil.Process(kernel.ppid())
        assert zygote.ppid() == owner.pid  # its own zygote: none was advertised to it
    finally:
        owner.kill()
        owner.wait()
        owner.stdout.close()
    gone, alive = psutil.wait_procs([kernel, zygote], timeout=20)
    assert not alive


def test_a_kernel_from_an_advertised_zygote_ends_with_the_process_that_asked(
        tmp_path, report_kernels):
    if not report_kernels:
        pytest.skip("kernels are fresh processes here")
    env = {k: v for k, v in os.environ.items() if k != FRESH_KERNELS_ENV}
    owner, kernel = start_owner(tmp_path, env)
    try:
        zygote = psutil.Process(kernel.ppid())
        assert started_here(zygote)  # the zygote of this test process
    finally:
        owner.kill()
        owner.wait()
        owner.stdout.close()
    gone, alive = psutil.wait_procs([kernel], timeout=20)
    assert not alive
    assert zygote.is_running()  # and it serves on


def test_the_zygote_serves_only_its_own_user(report_kernels):
    """The zygote checks the connecting process's user (SO_PEERCRED): another user's
    process is disconnected without an answer."""

    if not report_kernels:
        pytest.skip("kernels are fresh processes here")
    script = textwrap.dedent(f"""
        import os, socket
        os.setgid(65534); os.setuid(65534)
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.connect("\\0{report_kernels}")
        s.settimeout(20)
        try:
            socket.send_fds(s, [b'{{"args": [], "env": {{}}, "cwd": "/", "owner": 1}}'], [1, 2])
            print(repr(s.recv(4096)))
        except (ConnectionResetError, BrokenPipeError):
            print("refused")
    """)
    if os.getuid() != 0:
        pytest.skip("needs root to run a process as another user")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() in ("refused", "b''")  # disconnected, no kernel forked


KERNEL_OF_A_CHILD = textwrap.dedent("""
    import sys
    import nbformat
    from nbclient import NotebookClient
    from srb_eval.run.kernel_manager import ReportKernelManager

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import json, os; from srb_eval.data import io; "
        f"print(json.dumps({{'ahead': io.read_ahead_of({sys.argv[1]!r}), "
        "'zygote': os.getppid()}))")]
    NotebookClient(nb, kernel_name="python3", kernel_manager_class=ReportKernelManager,
                   resources={"metadata": {"path": sys.argv[2]}}).execute()
    print(nb.cells[0].outputs[0]["text"])
""")


def _advertised(env_value: str | None) -> dict[str, int]:
    return {a: int(p) for a, p in (item.split("=", 1)[1].split("@")
                                   for item in (env_value or "").split(",") if item)}


def test_the_kernels_of_a_block_find_its_data_read_ahead(tmp_path, monkeypatch,
                                                         report_kernels):
    """A render's workers get kernels from a zygote forked from the running one, which
    read the render's data first; it ends with the block, the first zygote serves on."""
    if not report_kernels:
        pytest.skip("kernels are fresh processes here")
    monkeypatch.delenv(FRESH_KERNELS_ENV, raising=False)
    data = str(shutil.copytree(Path(kernels.__file__).resolve().parents[2] / "tests" / "data"
                               / "minimal", tmp_path / "data"))  # read ahead by no other
    child = tmp_path / "child.py"
    child.write_text(KERNEL_OF_A_CHILD)
    before = os.environ.get(kernels.ZYGOTES_ENV)
    base = _advertised(before)[report_kernels]
    with kernels.zygote_for_children("python3", cwd=str(tmp_path),
                                     read_ahead=[data]) as address:
        assert address != report_kernels
        out = subprocess.run([sys.executable, str(child), data, str(tmp_path)],
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        got = json.loads(out.stdout)
        reader = psutil.Process(got["zygote"])
        assert got["ahead"] and reader.ppid() == base
        assert "starting a fresh kernel" not in out.stderr
        own, = run_cells(["import json, os; from srb_eval.data import io; "
                          f"print(json.dumps({{'ahead': io.read_ahead_of({data!r}), "
                          "'zygote': os.getppid()}))"], cwd=tmp_path)
        assert json.loads(own.outputs[0]["text"]) == got  # this process's kernels too
    assert os.environ.get(kernels.ZYGOTES_ENV) == before
    _, alive = psutil.wait_procs([reader], timeout=10)
    assert not alive and psutil.Process(base).is_running()


@pytest.mark.parametrize("heir", [False, True])
def test_a_zygote_reading_ahead_ends_with_the_process_that_asked(tmp_path, report_kernels,
                                                                 heir):
    """Also when a child of that process (a render's worker) still holds its end of the
    zygote's lifeline (``heir``)."""
    if not report_kernels:
        pytest.skip("kernels are fresh processes here")
    data = str(shutil.copytree(Path(kernels.__file__).resolve().parents[2] / "tests" / "data"
                               / "minimal", tmp_path / "data"))  # read ahead by no other
    owner = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import os, sys, time
        from srb_eval.run import kernels
        with kernels.zygote_for_children("python3", cwd={str(tmp_path)!r},
                                         read_ahead=[{data!r}]) as address:
            heir = os.fork() if {heir!r} else 0
            if heir == 0 and {heir!r}:
                time.sleep(120)
                os._exit(0)
            print(address, os.environ[kernels.ZYGOTES_ENV], heir, flush=True)
            sys.stdin.read()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={k: v for k, v in os.environ.items() if k != FRESH_KERNELS_ENV})
    heir_pid = 0
    try:
        address, advertised, heir_pid = owner.stdout.readline().split()
        reader = psutil.Process(_advertised(advertised)[address])
        assert reader.ppid() == _advertised(os.environ[kernels.ZYGOTES_ENV])[report_kernels]
    finally:
        owner.kill()
        owner.wait()
        owner.stdin.close()
        owner.stdout.close()
    try:
        _, alive = psutil.wait_procs([reader], timeout=20)
        assert not alive
    finally:
        if int(heir_pid):
            psutil.Process(int(heir_pid)).kill()


def test_a_zygote_that_read_the_data_already_serves_as_it_is(tmp_path, report_kernels):
    """A render asks for the data its parameter file names before it checks the file,
    then again for the data its reports use: the zygote that read it serves both."""
    from .conftest import DEMO

    if not report_kernels:
        pytest.skip("kernels are fresh processes here")
    with kernels.zygote_for_children("python3", cwd=str(tmp_path),
                                     read_ahead=[str(DEMO)]) as address:
        assert address == report_kernels  # conftest's zygote read the demo data


def test_a_forked_kernel_listens_when_its_start_returns(tmp_path, monkeypatch):
    """The provisioner returns once ipykernel's initialisation is done and its sockets
    bound (the zygote's kernel closes a pipe then): a client connecting then is not
    refused, and so does not wait ZeroMQ's reconnect interval (0.1 s) before it is heard."""
    import asyncio
    import socket

    monkeypatch.delenv(FRESH_KERNELS_ENV, raising=False)

    async def start() -> list[int]:
        km = ReportKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=str(tmp_path))
        try:
            assert psutil.Process(km.provisioner.pid).ppid() != os.getpid()  # forked
            refused = []
            # (the heartbeat binds in a thread of its own, as the kernel starts)
            for port in (km.shell_port, km.iopub_port, km.control_port, km.stdin_port):
                with socket.socket() as s:
                    if s.connect_ex((km.ip, port)):
                        refused.append(port)
            return refused
        finally:
            await km.shutdown_kernel(now=True)

    assert asyncio.run(start()) == []


def test_a_report_kernel_is_ready_once_it_welcomes_its_client(tmp_path, monkeypatch):
    """A report's client takes its kernel to be ready when the kernel has welcomed its
    IOPub subscription (JEP 65) and answered kernel_info, without jupyter_client's retries
    and quiet period; a kernel that sends no welcome is waited for jupyter_client's way."""
    import asyncio
    import queue

    from jupyter_client.asynchronous import AsyncKernelClient

    monkeypatch.delenv(FRESH_KERNELS_ENV, raising=False)
    library = AsyncKernelClient.wait_for_ready
    waited = []

    async def library_wait(self, timeout=None):
        waited.append(timeout)
        return await library(self, timeout)

    monkeypatch.setattr(AsyncKernelClient, "wait_for_ready", library_wait)

    async def start_and_run() -> str:
        km = ReportKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=str(tmp_path))
        kc = km.client()
        kc.start_channels()
        try:
            assert isinstance(kc, kernel_manager.ReportKernelClient)
            await kc.wait_for_ready(timeout=60)
            reply = await kc.execute_interactive("print('heard', end='')", timeout=60,
                                                 output_hook=lambda m: out.append(m))
            assert reply["content"]["status"] == "ok"
            return "".join(m["content"].get("text", "") for m in out
                           if m["msg_type"] == "stream")
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)

    out: list = []
    assert asyncio.run(start_and_run()) == "heard"  # nothing it printed was missed
    assert waited == []

    async def no_welcome(self, timeout=None):
        raise queue.Empty

    monkeypatch.setattr(kernel_manager.ReportKernelClient, "get_iopub_msg", no_welcome)
    out = []
    assert asyncio.run(start_and_run()) == "heard"
    assert len(waited) == 1 and 0 < waited[0] <= 60

    async def dead() -> None:  # a kernel that dies before its welcome: the error at once
        km = ReportKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=str(tmp_path))
        kc = km.client()
        try:
            kernel = psutil.Process(km.provisioner.pid)
            kernel.kill()
            psutil.wait_procs([kernel], timeout=10)
            # no heartbeat channel: its thread may still be making its socket when the
            # error ends the client (a ZMQError in that thread, "Too many open files")
            kc.start_channels(hb=False)
            with pytest.raises(RuntimeError, match="died"):
                await kc.wait_for_ready(timeout=60)
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)

    asyncio.run(dead())
    assert len(waited) == 1  # not left to jupyter_client's wait


def test_the_start_wait_ends_when_the_pipe_closes_or_says_why_or_at_its_time_out():
    import asyncio

    async def wait(end: str, timeout: float) -> tuple[float, object]:
        listening, ready = os.pipe()
        try:
            if end == "close":
                asyncio.get_running_loop().call_later(0.05, os.close, ready)
            elif end == "fail":  # as a kernel that cannot bind a port, which then ends
                def fail() -> None:
                    report_start_failure(ready, zmq.ZMQError(errno.EADDRINUSE))
                    os.close(ready)
                asyncio.get_running_loop().call_later(0.05, fail)
            start = time.monotonic()
            said = await provisioner.start_failure(listening, timeout)
            return time.monotonic() - start, said
        finally:
            os.close(listening)
            if end == "none":
                os.close(ready)

    took, said = asyncio.run(wait("close", 30))
    assert took < 10 and said is None
    took, said = asyncio.run(wait("fail", 30))
    assert took < 10 and said == {"error": "ZMQError: Address already in use",
                                  "errno": errno.EADDRINUSE}
    took, said = asyncio.run(wait("none", 0.2))
    assert 0.2 <= took < 10 and said is None


@pytest.fixture
def taken_port():
    """A port of this machine's loopback interface on which another process listens."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


def first_ports_taken(monkeypatch, taken: int, times: int) -> list[int]:
    """Make jupyter_client's port cache hand out ``taken`` as the shell port of the next
    ``times`` kernels (the ports it hands out are recorded in the list returned)."""
    from jupyter_client.connect import LocalPortCache

    real = LocalPortCache.find_available_port
    given: list[int] = []

    def find(self, ip):
        port = taken if len(given) % 5 == 0 and len(given) < 5 * times else real(self, ip)
        given.append(port)
        return port

    monkeypatch.setattr(LocalPortCache, "find_available_port", find)
    return given


def test_a_kernel_whose_port_was_taken_starts_again_on_new_ports(tmp_path, monkeypatch,
                                                                 taken_port, caplog):
    """Between jupyter_client's choice of a kernel's ports and the kernel's binding them,
    another process may take one (two test workers starting kernels at once): the kernel
    is started again on new ports, and runs."""
    import asyncio

    monkeypatch.delenv(FRESH_KERNELS_ENV, raising=False)
    given = first_ports_taken(monkeypatch, taken_port, 1)

    async def start() -> tuple[int, str]:
        km = ReportKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=str(tmp_path))
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            reply = await kc.execute_interactive("print(6 * 7)", timeout=60,
                                                 output_hook=lambda m: out.append(m))
            assert reply["content"]["status"] == "ok"
            with open(km.connection_file) as f:
                written = json.load(f)
            assert written["shell_port"] == km.shell_port  # the file says the new ports
            return km.shell_port, "".join(m["content"].get("text", "") for m in out)
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)

    out: list = []
    with caplog.at_level("WARNING"):
        port, printed = asyncio.run(start())
    assert printed == "42\n"
    assert len(given) == 10 and port == given[5] != taken_port
    assert "Address already in use" in caplog.text and "starting it on new ports" in caplog.text


def test_a_restarted_kernel_keeps_its_ports(tmp_path, monkeypatch, taken_port, caplog):
    """jupyter_client restarts a kernel on the ports its clients are connected to: a
    launch after the first (``started``) is not moved to new ports."""
    import asyncio

    monkeypatch.delenv(FRESH_KERNELS_ENV, raising=False)
    monkeypatch.setattr(provisioner.ForkingProvisioner, "started", True)
    given = first_ports_taken(monkeypatch, taken_port, 100)

    async def start() -> None:
        km = ReportKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=str(tmp_path))
        try:
            assert km.shell_port == taken_port
        finally:
            await km.shutdown_kernel(now=True)

    with caplog.at_level("WARNING"):
        asyncio.run(start())
    assert len(given) == 5
    assert caplog.text.count("Address already in use") == 1
    assert "new ports" not in caplog.text


def test_an_install_naming_another_provisioner_class_is_not_the_forking_one(monkeypatch):
    """An environment installed before the provisioner moved to its own module names a
    class that is no longer there: the reports' kernel manager then warns and starts fresh
    kernels instead of failing at every start."""
    import importlib.metadata

    class Stale:
        def load(self):
            raise AttributeError("module 'srb_eval.run.kernels' has no attribute "
                                 "'ForkingProvisioner'")

    assert provisioner.provisioner_registered()
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda **kw: [Stale()])
    assert not provisioner.provisioner_registered()


def test_a_kernel_that_cannot_bind_its_ports_is_started_a_few_times_then_reported_dead(
        tmp_path, monkeypatch, taken_port, caplog):
    import asyncio

    monkeypatch.delenv(FRESH_KERNELS_ENV, raising=False)
    given = first_ports_taken(monkeypatch, taken_port, 100)

    async def start() -> None:
        km = ReportKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=str(tmp_path))
        kc = km.client()
        kc.start_channels(hb=False)
        try:
            with pytest.raises(RuntimeError, match="died"):
                await kc.wait_for_ready(timeout=60)
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)

    with caplog.at_level("WARNING"):
        asyncio.run(start())
    assert len(given) == 5 * provisioner.KERNEL_START_ATTEMPTS
    assert caplog.text.count("Address already in use") == provisioner.KERNEL_START_ATTEMPTS


def test_a_forked_kernel_starts_with_the_zygotes_objects_frozen(tmp_path, monkeypatch):
    """The zygote freezes what it imported and read (gc.freeze) before it forks, so that a
    kernel's garbage collections do not walk, and so copy, the zygote's objects."""
    monkeypatch.delenv(FRESH_KERNELS_ENV, raising=False)
    forked = run_cells(["import gc; print(gc.get_freeze_count())"], cwd=tmp_path)
    assert int(forked[0].outputs[0]["text"]) > 10_000
    monkeypatch.setenv(FRESH_KERNELS_ENV, "1")
    fresh = run_cells(["import gc; print(gc.get_freeze_count())"], cwd=tmp_path)
    assert int(fresh[0].outputs[0]["text"]) == 0
