"""An animated GIF drawn in a helper process while training goes on (Run.animation(background=True)).

Drawing a matplotlib frame costs ~27 ms of Python (axis ticks and text mostly); lstm_regression
grabs 101 of them, about 3 s that its training step would otherwise wait for. Here the training
process only sends what changed, and a helper process on the other core draws the frames with the
same _PaletteWriter and writes the GIF when the input ends.

What is sent, as pickles on the helper's stdin (a writer thread feeds the pipe, so a helper still
starting never blocks training):
    ("setup", out, fps, dpi)  where the GIF goes
    ("figure", fig)        the whole Figure: at the first frame, and again whenever an axes gains
                           or loses an artist
    ("lines", [...])       every other frame: per axes its x/y view limits and its lines' data
So the helper's frames equal in-process ones (tests/test_gif.py compares them pixel by pixel) for
figures whose frames change only line data and axis limits, as lstm_regression's do; a figure whose
frames change anything else (colours, texts) needs the in-process writer.

prestart() starts the helper early (Run.prepare does, for lstm_regression without --show), so that
its imports overlap TensorFlow's; the next Recorder takes it over. An unused helper ends by itself
when its stdin closes, at the latest when the training process exits.

    python -m tf1_examples._gif     the helper (started by Recorder or prestart)
"""

import os
import pickle
import queue
import signal
import subprocess
import sys
import tempfile
import threading


def _structure(fig):
    return tuple(len(ax.get_children()) for ax in fig.axes)


def _lines_state(fig):
    return [(ax.get_xlim(), ax.get_ylim(), [line.get_data() for line in ax.lines]) for ax in fig.axes]


def _apply(fig, state):
    for ax, (xlim, ylim, lines) in zip(fig.axes, state):
        for line, (x, y) in zip(ax.lines, lines):
            line.set_data(x, y)
        ax.set_xlim(xlim)
        ax.set_ylim(ylim)


_PRESTARTED = []


def _spawn():
    stderr = tempfile.TemporaryFile()               # a file, not a pipe: warnings can never block it
    env = dict(os.environ)
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))   # tf1_examples' parent
    env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH")) if p)
    proc = subprocess.Popen([sys.executable, "-m", "tf1_examples._gif"], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=stderr, env=env)
    return proc, stderr


def prestart():
    """Start a helper now, for the next Recorder (one at a time)."""
    if not _PRESTARTED:
        _PRESTARTED.append(_spawn())


class Recorder(object):
    """The training side: grab_frame() sends the figure's state, finish() waits for the GIF."""

    def __init__(self, fig, outfile, fps, dpi):
        self.fig = fig
        self._structure = None
        self._queue = queue.Queue()
        self._proc, self._stderr = _PRESTARTED.pop() if _PRESTARTED else _spawn()
        self._send(("setup", str(outfile), fps, dpi))
        self._feeder = threading.Thread(target=self._feed, name="gif-feeder")
        self._feeder.daemon = True
        self._feeder.start()

    def _feed(self):
        try:
            while True:
                item = self._queue.get()
                if item is None:
                    break
                self._proc.stdin.write(item)
        except (BrokenPipeError, OSError, ValueError):
            pass                     # the helper died: finish() reports its error
        finally:
            try:
                self._proc.stdin.close()
            except (BrokenPipeError, OSError):
                pass

    def _send(self, message):
        self._queue.put(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))

    def grab_frame(self):
        structure = _structure(self.fig)
        if structure != self._structure:
            self._structure = structure
            self._send(("figure", self.fig))
        else:
            self._send(("lines", _lines_state(self.fig)))

    def finish(self):
        """Wait for the helper to write the GIF; RuntimeError with its last stderr line if it failed."""
        self._queue.put(None)
        self._feeder.join()
        status = self._proc.wait()
        self._stderr.seek(0)
        error = self._stderr.read().decode("utf-8", "replace").strip()
        self._stderr.close()
        if status != 0:
            raise RuntimeError("the GIF helper process failed: %s" % (error.splitlines() or ["?"])[-1])

    def abort(self):
        self._queue.put(None)
        self._proc.kill()
        self._proc.wait()
        self._stderr.close()


def main(argv):
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C is for the training process to handle
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt     # what unpickling a pyplot figure needs: loaded while waiting
    from tf1_examples._runs import _PaletteWriter

    stdin = sys.stdin.buffer
    fig = writer = out = dpi = None
    while True:
        try:
            message = pickle.load(stdin)
        except EOFError:
            break
        kind, payload = message[0], message[1]
        if kind == "setup":
            out, fps, dpi = message[1:]
            writer = _PaletteWriter(fps=fps)
            continue
        if kind == "figure":
            if fig is None:
                writer.setup(payload, out, dpi=dpi)
            else:
                plt.close(fig)
                writer.fig = payload           # what PillowWriter.grab_frame draws
            fig = payload
        else:
            _apply(fig, payload)
        writer.grab_frame()
    if fig is not None:
        writer.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
