"""The harness side of an example's Session training loop, so the loop reads like the original:

    saver = tf.train.Saver()
    training = run.training(saver, sess, every=100, position=lambda done: {...})
    for i in training.steps():       # run.start .. run.total - 1
        ...                          # the original's step, run.log(i, cost=...)
    training.end()                   # the last checkpoint; a Ctrl-C'd run stops here (exit 130)

run.training() applies --init-from (right after the initializer), --resume (restores the
newest checkpoint in the folder, sets run.start and run.total, returns what `position` saved
beside it as training.position) and --save-initial. steps() is the loop: timed, with the
progress bar; the first Ctrl-C ends it after the current step; every `every` steps it saves a
checkpoint with position(done), the data's position to continue from exactly (a JSON dict).
"""

from tf1_examples.harness import checkpoints


class SessionTraining(object):
    def __init__(self, run, saver, sess, folder, every, position):
        self.run, self.saver, self.sess, self.every = run, saver, sess, every
        self.prefix = folder / "model.ckpt"
        self._position = position or (lambda done: None)
        checkpoints.init_from(run, saver, sess)
        self.position = checkpoints.resume_from(run, saver, sess, folder)
        self.done = run.start           # steps done so far (run.done: as of the last checkpoint)
        if run.args.save_initial:
            saver.save(sess, str(run.fresh_dir("initial") / "model.ckpt"))

    def steps(self, desc=None):
        """Yields the step indices run.start .. run.total - 1; between steps, the progress bar,
        Ctrl-C (stop after this step) and the periodic checkpoint."""
        run = self.run
        with run.loop(run.total - run.start, desc) as bar:
            for i in range(run.start, run.total):
                yield i
                bar.update()
                self.done = i + 1
                if run.stop_requested:      # Ctrl-C: through the normal end of training
                    break
                if self.every and self.done % self.every == 0 and self.done < run.total:
                    self.checkpoint(self.done)

    def checkpoint(self, done):
        checkpoints.save_checkpoint(self.run, self.saver, self.sess, self.prefix, done, self._position(done))

    def end(self):
        """The end-of-training checkpoint; then a Ctrl-C'd run ends (harness.errors.Interrupted)."""
        self.checkpoint(self.done)
        self.run.stop_if_interrupted()
