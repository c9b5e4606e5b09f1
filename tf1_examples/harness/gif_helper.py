"""An animated GIF drawn in a helper process while training goes on (run.animation(background=True)).

Drawing a matplotlib frame costs ~27 ms of Python (axis ticks and text mostly); lstm_regression
grabs 101 of them, about 3 s that its training step would otherwise wait for. Here the training
process only sends what changed, and a helper process on the other core draws the frames with the
same PaletteWriter (palette_gif.py) and writes the GIF when the input ends.

What is sent, as pickles on the helper's stdin (a writer thread feeds the pipe, so a helper still
starting never blocks training):
    ("setup", out, fps, dpi)  where the GIF goes
    ("figure", fig)        the whole Figure: at the first frame, and again whenever an axes gains
                           or loses an artist
    ("lines", [...])       every other frame: per axes its x/y view limits and its lines' data
So the helper's frames equal in-process ones (tests/harness/test_gif.py compares them pixel by pixel) for
figures whose frames change only line data and axis limits, as lstm_regression's do; a figure whose
frames change anything else (colours, texts) needs the in-process writer.

The helper reads its input on a thread, so when the input ends (training is over and the
training process only waits for the GIF) it knows which frames are still to draw; those it splits
with a forked copy of itself, one half each, on the two cores (Linux; draw_rest). lstm_regression
trains faster than its 101 frames draw, so about 60 of them are left at that point.

prestart() starts the helper early (cli.prepare does, for lstm_regression without --show), so that
its imports overlap TensorFlow's; the next Recorder takes it over. An unused helper ends by itself
when its stdin closes, at the latest when the training process exits.

    python -m tf1_examples.harness.gif_helper [--no-split]     the helper (started by Recorder or prestart)
"""

import os
import pickle
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import traceback


from tf1_examples.harness.palette_gif import PaletteWriter


def _structure(fig):
    return tuple(len(ax.get_children()) for ax in fig.axes)


def lines_state(fig):
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
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tf1_examples' parent
    env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH")) if p)
    proc = subprocess.Popen([sys.executable, "-m", "tf1_examples.harness.gif_helper"], stdin=subprocess.PIPE,
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
            self._send(("lines", lines_state(self.fig)))

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


class Painter(object):
    """The helper's figure and writer: handle() applies one message and, with draw=True, grabs
    its frame ("setup" has none)."""

    def __init__(self, plt, writer_class):
        self.plt, self.writer_class = plt, writer_class
        self.fig = self.writer = self.out = self.dpi = None

    def handle(self, message, draw=True):
        kind, payload = message[0], message[1]
        if kind == "setup":
            self.out, fps, self.dpi = message[1:]
            self.writer = self.writer_class(fps=fps)
            return
        if kind == "figure":
            if self.fig is None:
                self.writer.setup(payload, self.out, dpi=self.dpi)
            else:
                self.plt.close(self.fig)
                self.writer.fig = payload           # what PillowWriter.grab_frame draws
            self.fig = payload
        else:
            _apply(self.fig, payload)
        if draw:
            self.writer.grab_frame()

    def frames(self):
        return self.writer.frames() if self.writer is not None else []


def _read(stdin, inbox):
    """The reader thread: every message as soon as it arrives, then None (or the error)."""
    try:
        while True:
            inbox.put(pickle.load(stdin))
    except EOFError:
        inbox.put(None)
    except BaseException as e:              # a damaged stream: main() raises it
        inbox.put(e)


def _take(inbox):
    item = inbox.get()
    if isinstance(item, BaseException):
        raise item
    return item


# Forking is safe here (the helper's only other thread has ended, it holds Agg figures only) and
# cheap on Linux; macOS and Windows draw the rest in one process.
_CAN_FORK = sys.platform.startswith("linux") and hasattr(os, "fork")
SPLIT_MIN_FRAMES = 6    # fewer are left in under ~0.2 s: not worth a second process


def draw_rest(painter, rest):
    """Draw the frames still to draw once the input has ended, on both cores: a forked copy of
    this process draws the second half while this one draws the first, then sends its frames
    (256-colour images) back through a pipe. The training process is then only waiting for the
    GIF, so the other core is free. Returns how many frames the copy drew (0: none forked)."""
    drawn = [i for i, m in enumerate(rest) if m[0] != "setup"]
    if not _CAN_FORK or len(drawn) < SPLIT_MIN_FRAMES:
        for message in rest:
            painter.handle(message)
        return 0
    cut = drawn[len(drawn) // 2]                    # the copy draws rest[cut:]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:                                    # the copy
        status = 1
        try:
            os.close(read_end)
            for message in rest[:cut]:
                painter.handle(message, draw=False)    # the state the first half leaves
            first = len(painter.frames())
            for message in rest[cut:]:
                painter.handle(message)
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(painter.frames()[first:], pipe, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stderr.flush()
            os._exit(status)                        # never the parent's cleanup or atexit
    os.close(write_end)
    try:
        for message in rest[:cut]:
            painter.handle(message)
    finally:
        with os.fdopen(read_end, "rb") as pipe:
            try:
                theirs = pickle.load(pipe)
            except EOFError:                        # the copy failed: its stderr says why
                theirs = None
        _, status = os.waitpid(pid, 0)
    if theirs is None or status != 0 or len(theirs) != len(drawn) - len(drawn) // 2:
        for message in rest[cut:]:                  # draw its half here after all
            painter.handle(message)
        return 0
    painter.frames().extend(theirs)
    return len(theirs)


def main(argv):
    """The helper: draw each frame as its message arrives; what is still queued when the input
    ends is split between two processes (draw_rest). --no-split draws everything here (the
    tests' reference). Prints one line: how many frames, and how many a second process drew."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C is for the training process to handle
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt     # what unpickling a pyplot figure needs: loaded while waiting

    split = "--no-split" not in argv
    painter = Painter(plt, PaletteWriter)
    inbox = queue.Queue()
    reader = threading.Thread(target=_read, args=(sys.stdin.buffer, inbox), name="gif-reader")
    reader.daemon = True
    reader.start()
    forked = 0
    messages = iter(lambda: _take(inbox), None)     # until the reader's None
    for message in messages:
        if split and not reader.is_alive():         # the input has ended: all the rest is here
            forked = draw_rest(painter, [message] + list(messages))
            break
        painter.handle(message)
    if painter.fig is not None:
        painter.writer.finish()
    print("frames %d, drawn by a second process %d" % (len(painter.frames()), forked))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
