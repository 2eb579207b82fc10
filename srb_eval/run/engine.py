"""The papermill engine that runs reports: papermill's own (nbclient), saving less often.

papermill's engine saves the whole notebook to its output path when each cell starts and
when it ends, so that a reader can follow a long run. A report's notebook grows with
every figure it embeds, so each save costs more the further a report gets (a copy, a
validation and the JSON of the whole notebook, some 50 to 100 times a report): 1.7 s of
CPU in a render of the demo suite (py-spy samples of ``write_ipynb``), 0.2 s with this
engine. Nobody reads a report's notebook before its render has finished, so
:class:`ReportEngine` keeps papermill's engine as it is but gives it no output path while
the cells run. The notebook is then written when the run starts (papermill's
``notebook_start``, before any output), and at its end by papermill's
``execute_notebook`` (also when a cell failed: ``raise_for_execution_errors``); when the
run raises instead (the kernel died, a cell ran out of time, an interrupt), the path is
given back first, so that papermill's engine saves what ran in its ``finally``.
papermill's own ``request_save_on_cell_execute=False`` would lose that notebook: no
output path reaches the engine, and ``execute_notebook`` writes only a run that returns.

The engine is registered with papermill under :data:`ENGINE_NAME` when this module is
imported (papermill's documented ``papermill_engines.register``).
"""

from __future__ import annotations

from typing import Any

from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

#: The name :func:`srb_eval.run.render.run_job` passes to ``papermill.execute_notebook``.
ENGINE_NAME = "srb-eval"


class ReportEngine(NBClientEngine):
    """papermill's nbclient engine, with no save of the notebook after each cell."""

    @classmethod
    def execute_managed_notebook(cls, nb_man: NotebookExecutionManager, kernel_name: str,
                                 **kwargs: Any) -> Any:
        """Run the notebook as papermill's engine does, with no output path while the
        cells run; if the run raises, the path is given back, so that papermill's
        ``Engine.execute_notebook`` saves what ran (see the module docstring)."""
        path, nb_man.output_path = nb_man.output_path, None
        try:
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
        except BaseException:
            nb_man.output_path = path
            raise


papermill_engines.register(ENGINE_NAME, ReportEngine)
