"""The papermill engine that runs reports: papermill's own (nbclient), saving once.

papermill's engine saves the whole notebook to its output path when each cell starts and
when it ends, so that a reader can follow a long run. A report's notebook grows with
every figure it embeds, so each save costs more the further a report gets (a copy, a
validation and the JSON of the whole notebook, some 50 to 100 times a report): 1.7 s of
CPU in a render of the demo suite (py-spy samples of ``write_ipynb``), 0.2 s with this
engine. Nobody reads a report's notebook before its render has finished, so
:class:`ReportEngine` keeps papermill's engine as it is but writes the notebook only when
the run starts and when it ends, also when a cell failed, the kernel died or a cell ran
out of time (papermill's ``Engine.execute_notebook`` saves in a ``finally``).

The engine is registered with papermill under :data:`ENGINE_NAME` when this module is
imported (papermill's documented ``papermill_engines.register``).
"""

from __future__ import annotations

from typing import Any

from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

#: The name :func:`srb_eval.run.render.run_job` passes to ``papermill.execute_notebook``.
ENGINE_NAME = "srb-eval"


class ReportEngine(NBClientEngine):
    """papermill's nbclient engine, with the notebook saved when the run ends only."""

    @classmethod
    def execute_managed_notebook(cls, nb_man: NotebookExecutionManager, kernel_name: str,
                                 **kwargs: Any) -> Any:
        """Run the notebook as papermill's engine does, with no output path while the
        cells run (so no save after each cell); papermill's ``Engine.execute_notebook``
        then saves the notebook once, with the path given back here."""
        path, nb_man.output_path = nb_man.output_path, None
        try:
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
        finally:
            nb_man.output_path = path


papermill_engines.register(ENGINE_NAME, ReportEngine)
