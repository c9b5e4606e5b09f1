"""A matplotlib backend that records what a GUI backend would be asked to do, for tests/examples/test_show.py.

MPLBACKEND=module://show_backend (with tests/ on PYTHONPATH) makes matplotlib use it as an
interactive backend; it draws with Agg and appends one JSON line per event to $SHOW_BACKEND_LOG:
    {"event": "show", "interactive": bool, "figures": [{"lines": n, "labels": [...], "title": s}]}
                                     a window shown (plt.show(), and plt.pause()'s own show)
    {"event": "pause", "seconds": s}  plt.pause(s): the window's event loop would run s seconds
                                      (recorded, not slept, so the tests stay fast)
It is built the way matplotlib's own backends are (FigureCanvas, FigureManager, _Backend.export),
so the same module works with matplotlib 3.5 and 3.10.
"""

import json
import os

import matplotlib
from matplotlib.backend_bases import FigureManagerBase, _Backend
from matplotlib.backends.backend_agg import FigureCanvasAgg


def _record(event, **fields):
    with open(os.environ["SHOW_BACKEND_LOG"], "a") as f:
        f.write(json.dumps(dict(event=event, **fields)) + "\n")


def _describe(figure):
    axes = figure.axes
    return {"lines": sum(len(ax.lines) for ax in axes),
            "points": sum(len(line.get_xdata()) for ax in axes for line in ax.lines),
            "labels": [ax.get_xlabel() or ax.get_ylabel() for ax in axes],
            "title": axes[0].get_title() if axes else ""}


class RecordingManager(FigureManagerBase):
    def show(self):
        self.canvas.draw()          # what a window does first: render the figure
        _record("show", interactive=matplotlib.is_interactive(), figures=[_describe(self.canvas.figure)])


class RecordingCanvas(FigureCanvasAgg):
    manager_class = RecordingManager

    def start_event_loop(self, timeout=0):
        _record("pause", seconds=timeout)


@_Backend.export
class _BackendRecording(_Backend):
    FigureCanvas = RecordingCanvas
    FigureManager = RecordingManager
    mainloop = None     # plt.show() returns at once, as with block=False
