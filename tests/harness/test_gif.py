"""pictures.animation(background=True): the GIF drawn by the helper process (harness/gif_helper.py)
equals the in-process one frame by frame, pixel by pixel, for a figure drawn the way
lstm_regression draws its prediction (lines growing by NaN-separated segments, autoscaled x, fixed
y), including an artist added midway (the whole figure is sent again); and the frames still to draw
when the input ends, split with a forked copy of the helper (or drawn by the helper alone when the
copy fails), give the same GIF bytes as one process. Real matplotlib, real helper process, real GIF
files."""

import numpy as np
import pytest

from tf1_examples.harness.pictures import animation
from tf1_examples.added.lstm_regression import extend_line

matplotlib = pytest.importorskip("matplotlib")


def _record(tmp_path, background, steps=14):
    import matplotlib.pyplot as plt

    plt.switch_backend("Agg")
    fig = plt.figure()
    real_line, pred_line = plt.plot([], [], 'r', [], [], 'b--')
    name = "bg.gif" if background else "fg.gif"
    with animation(fig, tmp_path / name, fps=1 / 0.6, dpi=72, background=background) as gif:
        for i in range(steps):
            xs = np.arange(i * 20, i * 20 + 20) / (10 * np.pi)
            extend_line(real_line, xs, np.cos(xs))
            extend_line(pred_line, xs, 0.8 * np.cos(xs) + 0.1 * np.sin(3 * xs))
            plt.gca().relim()
            plt.gca().autoscale_view()
            plt.ylim((-1.2, 1.2))
            if i == steps // 2:
                plt.gca().axhline(0.5, color="g")        # a new artist: a full figure resend
            if i % 2 == 0 or i == steps - 1:
                gif.grab_frame()
    plt.close(fig)
    return tmp_path / name


def _frames(path):
    from PIL import Image, ImageSequence

    with Image.open(str(path)) as im:
        return [(np.asarray(f.convert("RGB")).copy(), f.info.get("duration")) for f in ImageSequence.Iterator(im)]


def test_background_gif_equals_in_process_gif(tmp_path):
    fg = _frames(_record(tmp_path, background=False))
    bg = _frames(_record(tmp_path, background=True))
    assert len(fg) == len(bg) == 8
    for k, ((a, da), (b, db)) in enumerate(zip(fg, bg)):
        assert da == db == 600
        assert a.shape == b.shape and (a == b).all(), "frame %d differs" % k
    assert len({f.tobytes() for f, _ in bg}) == 8          # the frames really change
    assert not list(tmp_path.glob(".*"))                     # no temp file left behind


def test_helper_failure_is_reported_and_leaves_no_gif(tmp_path):
    import matplotlib.pyplot as plt

    plt.switch_backend("Agg")
    fig = plt.figure()
    plt.plot([0, 1], [0, 1])
    with pytest.raises(RuntimeError, match="GIF helper process failed"):
        with animation(fig, tmp_path / "x.gif", fps=1.0, dpi=-5, background=True) as gif:   # a dpi Agg refuses
            gif.grab_frame()
    plt.close(fig)
    assert not list(tmp_path.iterdir())


def _helper(tmp_path, messages_file, *args):
    import subprocess
    import sys

    with open(str(messages_file), "rb") as stdin:
        done = subprocess.run([sys.executable, "-m", "tf1_examples.harness.gif_helper"] + list(args), stdin=stdin,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode().strip()


def _messages_after_setup():
    """What Recorder sends after ("setup", ...) for 24 frames of an lstm_regression-like figure,
    with the whole figure sent again at frame 16 (an artist added)."""
    import io
    import pickle

    import matplotlib.pyplot as plt

    from tf1_examples.harness import gif_helper

    plt.switch_backend("Agg")
    fig = plt.figure()
    real_line, pred_line = plt.plot([], [], 'r', [], [], 'b--')
    with io.BytesIO() as f:
        pickle.dump(("figure", fig), f)
        for i in range(1, 24):
            xs = np.arange(i * 20, i * 20 + 20) / (10 * np.pi)
            extend_line(real_line, xs, np.cos(xs))
            extend_line(pred_line, xs, 0.8 * np.cos(xs))
            plt.gca().relim()
            plt.gca().autoscale_view()
            plt.ylim((-1.2, 1.2))
            if i == 15:
                plt.gca().axhline(0.5, color="g")
                pickle.dump(("figure", fig), f)
            else:
                pickle.dump(("lines", gif_helper.lines_state(fig)), f)
        body = f.getvalue()
    plt.close(fig)
    return body


def _write_input(tmp_path, name, body):
    import pickle

    path = tmp_path / (name + ".messages")
    path.write_bytes(pickle.dumps(("setup", str(tmp_path / (name + ".gif")), 1 / 0.6, 72)) + body)
    return path


def test_frames_left_at_end_of_input_are_split_between_two_processes(tmp_path):
    """The whole input arrives at once (read from a file), so nearly every frame is still to draw
    when it ends: a forked copy draws the second half. Its GIF is byte for byte the one a single
    process draws (--no-split), including the figure sent again midway."""
    import sys

    body = _messages_after_setup()
    outputs = {name: _helper(tmp_path, _write_input(tmp_path, name, body), *args)
               for name, args in (("split", []), ("one", ["--no-split"]))}
    assert outputs["one"] == "frames 24, drawn by a second process 0"
    if sys.platform.startswith("linux"):
        drawn = int(outputs["split"].rsplit(" ", 1)[1])
        assert 6 <= drawn <= 12, outputs["split"]       # about half of the frames left
    one, split = _frames(tmp_path / "one.gif"), _frames(tmp_path / "split.gif")
    assert len(one) == len(split) == 24
    assert len({f.tobytes() for f, _ in one}) == 24
    assert (tmp_path / "one.gif").read_bytes() == (tmp_path / "split.gif").read_bytes()


_FAILING_COPY = """
import os, pickle, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from tf1_examples.harness import gif_helper
from tf1_examples.harness.palette_gif import PaletteWriter

helper = os.getpid()


def writer_class(fps):
    writer = PaletteWriter(fps=fps)
    grab = writer.grab_frame

    def grab_frame(**kwargs):
        if os.getpid() != helper:
            raise RuntimeError("the copy cannot draw")
        grab(**kwargs)
    writer.grab_frame = grab_frame
    return writer


messages = []
with open(sys.argv[1], "rb") as f:
    while True:
        try:
            messages.append(pickle.load(f))
        except EOFError:
            break
painter = gif_helper.Painter(plt, writer_class)
print(gif_helper.draw_rest(painter, messages), len(painter.frames()))
painter.writer.finish()
"""


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="the split forks on Linux only")
def test_a_failing_copy_leaves_its_half_to_the_helper(tmp_path):
    """draw_rest in a real process whose forked copy fails at its first frame: the helper draws
    that half itself, and the GIF is still the single-process one, byte for byte."""
    import subprocess
    import sys

    body = _messages_after_setup()
    _helper(tmp_path, _write_input(tmp_path, "one", body), "--no-split")
    script = tmp_path / "failing_copy.py"
    script.write_text(_FAILING_COPY)
    done = subprocess.run([sys.executable, str(script), str(_write_input(tmp_path, "fallback", body))],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().split() == ["0", "24"]          # nothing from the copy, all 24 here
    assert "the copy cannot draw" in done.stderr.decode()       # the copy's traceback, on stderr
    assert (tmp_path / "fallback.gif").read_bytes() == (tmp_path / "one.gif").read_bytes()
