"""Run.animation(background=True): the GIF drawn by the helper process (tf1_examples/_gif.py)
equals the in-process one frame by frame, pixel by pixel, for a figure drawn the way
lstm_regression draws its prediction (lines growing by NaN-separated segments, autoscaled x, fixed
y), including an artist added midway (the whole figure is sent again). Real matplotlib, real helper
process, real GIF files."""

import numpy as np
import pytest

from tf1_examples import _runs
from tf1_examples.lstm_regression import extend_line

matplotlib = pytest.importorskip("matplotlib")


def _record(tmp_path, background, steps=14):
    import matplotlib.pyplot as plt

    plt.switch_backend("Agg")
    run = _runs.Run.__new__(_runs.Run)      # only its folder is used by animation()
    run.dir = tmp_path
    fig = plt.figure()
    real_line, pred_line = plt.plot([], [], 'r', [], [], 'b--')
    name = "bg.gif" if background else "fg.gif"
    with run.animation(fig, name, fps=1 / 0.6, dpi=72, background=background) as gif:
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
    run = _runs.Run.__new__(_runs.Run)
    run.dir = tmp_path
    fig = plt.figure()
    plt.plot([0, 1], [0, 1])
    with pytest.raises(RuntimeError, match="GIF helper process failed"):
        with run.animation(fig, "x.gif", fps=1.0, dpi=-5, background=True) as gif:   # a dpi Agg refuses
            gif.grab_frame()
    plt.close(fig)
    assert not list(tmp_path.iterdir())


def _helper(tmp_path, messages_file, *args):
    import subprocess
    import sys

    with open(str(messages_file), "rb") as stdin:
        done = subprocess.run([sys.executable, "-m", "tf1_examples._gif"] + list(args), stdin=stdin,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode().strip()


def test_frames_left_at_end_of_input_are_split_between_two_processes(tmp_path):
    """The whole input arrives at once (read from a file), so nearly every frame is still to draw
    when it ends: a forked copy draws the second half. Its GIF is byte for byte the one a single
    process draws (--no-split), including the figure sent again midway."""
    import io
    import pickle
    import sys

    import matplotlib.pyplot as plt

    from tf1_examples import _gif

    plt.switch_backend("Agg")
    fig = plt.figure()
    real_line, pred_line = plt.plot([], [], 'r', [], [], 'b--')
    body = io.BytesIO()                 # what Recorder sends after ("setup", ...)
    with body as f:
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
                pickle.dump(("lines", _gif._lines_state(fig)), f)
        frames = f.getvalue()
    plt.close(fig)
    outputs = {}
    for name, args in (("split", []), ("one", ["--no-split"])):
        path = tmp_path / (name + ".messages")
        path.write_bytes(pickle.dumps(("setup", str(tmp_path / (name + ".gif")), 1 / 0.6, 72)) + frames)
        outputs[name] = _helper(tmp_path, path, *args)
    assert outputs["one"] == "frames 24, drawn by a second process 0"
    if sys.platform.startswith("linux"):
        drawn = int(outputs["split"].rsplit(" ", 1)[1])
        assert 6 <= drawn <= 12, outputs["split"]       # about half of the frames left
    one, split = _frames(tmp_path / "one.gif"), _frames(tmp_path / "split.gif")
    assert len(one) == len(split) == 24
    assert len({f.tobytes() for f, _ in one}) == 24
    assert (tmp_path / "one.gif").read_bytes() == (tmp_path / "split.gif").read_bytes()
