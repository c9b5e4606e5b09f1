"""The pictures an example draws, written into its run folder whole or not at all: a still
(save_figure) and an animated GIF recorded while training (animation)."""

import contextlib

from compat.regress.report import atomic as atomic_path


def save_figure(fig, target):
    """fig.savefig, atomically (temp file + os.replace); returns the Path."""
    with atomic_path(target) as tmp:
        fig.savefig(str(tmp), format=target.suffix[1:])
    return target


class _NoFrames(object):
    def grab_frame(self):
        pass


@contextlib.contextmanager
def animation(fig, target, fps, dpi, background=False, empty=False):
    """A GIF of `fig`, one frame per grab_frame(), moved into place when the block ends. background=True: the frames are drawn by a helper process
    while the block goes on (gif_helper.py says for which figures that holds). empty=True (no
    step left to run): nothing is recorded, an earlier GIF stays."""
    if empty:
        yield _NoFrames()
        return
    with atomic_path(target) as tmp:
        if background:
            from tf1_examples.harness.gif_helper import Recorder

            writer = Recorder(fig, str(tmp), fps=fps, dpi=dpi)
        else:
            from tf1_examples.harness.palette_gif import PaletteWriter

            writer = PaletteWriter(fps=fps)
            writer.setup(fig, str(tmp), dpi=dpi)
        try:
            yield writer
        except BaseException:
            if background:
                writer.abort()
            raise
        writer.finish()
