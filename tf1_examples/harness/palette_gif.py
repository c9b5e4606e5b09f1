"""The GIF writer both the training process and the GIF helper process draw with."""


def PaletteWriter(fps):
    """A matplotlib PillowWriter that turns each frame into a 256-colour image as it is grabbed
    (the GIF's own format) instead of keeping RGBA: a quarter of the memory, and finish() then
    has no per-frame colour quantizing to do (measured: 10 s -> 0.6 s for 100 frames).
    Every frame has the same palette (convert("P") maps onto the fixed web palette), so
    finish() saves with optimize=False: Pillow >= 10 would otherwise shrink each frame's
    palette to its own colours, after which every frame differs in palette and is compared
    in RGBA and masked (S1's 101 frames: 1.1 s -> 0.13 s CPU with Pillow 11, the decoded
    frames identical, the file 13% smaller). A function, so matplotlib loads only when used."""
    from matplotlib.animation import PillowWriter

    class _PaletteWriter(PillowWriter):
        def grab_frame(self, **savefig_kwargs):
            super(_PaletteWriter, self).grab_frame(**savefig_kwargs)
            self._frames[-1] = self._frames[-1].convert("RGB").convert("P", dither=0)

        def finish(self):
            self._frames[0].save(self.outfile, save_all=True, append_images=self._frames[1:],
                                 duration=int(1000 / self.fps), loop=0, optimize=False)

        def frames(self):
            return self._frames

    return _PaletteWriter(fps=fps)
