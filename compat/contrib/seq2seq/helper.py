"""tf.contrib.seq2seq's Helpers on TensorFlow 2.x (TF 1.15: .../seq2seq/python/ops/helper.py).

A Helper tells BasicDecoder what to feed the cell next: the ground truth (TrainingHelper), a mix
of ground truth and the model's own samples (the Scheduled* helpers), or the embedded argmax or
sample of the last output (GreedyEmbeddingHelper, SampleEmbeddingHelper). Name scopes and random
ops are TF 1.15's, so a sampling helper with an explicit seed draws TF 1.15's ids.
"""

import abc

from tensorflow.compat import v1 as tf

from compat.contrib.seq2seq.decoder import transpose_batch_time

__all__ = [
    "Helper", "TrainingHelper", "GreedyEmbeddingHelper", "SampleEmbeddingHelper", "CustomHelper",
    "ScheduledEmbeddingTrainingHelper", "ScheduledOutputTrainingHelper", "InferenceHelper",
]


# --- random draws shaped like TF Probability's sample(sample_shape), as TF 1.15 drew them --------

def _draw(sample_n, sample_shape, name=None):
    """sample_n(n) gives [n] + batch_shape draws; reshape them to sample_shape + batch_shape."""
    with tf.name_scope(name, "call_sampler", values=[sample_shape]):
        sample_shape = tf.convert_to_tensor(sample_shape, dtype=tf.int32, name="sample_shape")
        is_scalar = tf.cast(tf.equal(tf.rank(sample_shape), 0), tf.int32)  # a scalar becomes [n]
        sample_shape = tf.reshape(sample_shape, tf.pad(tf.shape(sample_shape), paddings=[[is_scalar, 0]],
                                                       constant_values=1))
        draws = sample_n(tf.reduce_prod(sample_shape))
        return tf.reshape(draws, tf.concat([sample_shape, tf.shape(draws)[1:]], 0))


def bernoulli_sample(probs, dtype=tf.int32, sample_shape=(), seed=None, after=None):
    """Bernoulli(probs) draws of `dtype` (1/True with probability `probs`), drawn after the
    tensors `after`: in a while_loop, that keeps the draws in step order (see _in_step_order)."""
    probs = tf.convert_to_tensor(probs, name="probs")
    batch_shape = tf.shape(probs)

    def sample_n(n):
        with tf.control_dependencies(_in_step_order(after)):
            uniform = tf.random_uniform(tf.concat([[n], batch_shape], 0), seed=seed, dtype=probs.dtype)
        return tf.cast(tf.less(uniform, probs), dtype)
    return _draw(sample_n, sample_shape)


def _in_step_order(step_tensors):
    """Control inputs for a random op whose inputs do not change from step to step.

    Such an op in a decoding while_loop may run ahead into later iterations, so which step gets
    which draw depends on scheduling. TF 1.15's executor ran it in step order (its goldens repeat
    exactly); TF 2.x's runs it ahead. Drawing after the step's outputs restores step order: same
    ops, same values as TF 1.15, only a scheduling edge more."""
    return [t for t in tf.nest.flatten(step_tensors) if isinstance(t, tf.Tensor)] if step_tensors is not None else []


def categorical_sample(logits, dtype=tf.int32, sample_shape=(), seed=None):
    """Categorical draws from unnormalised log-probabilities `logits` [..., classes]."""
    logits = tf.convert_to_tensor(logits, name="logits")
    num_classes = tf.shape(logits)[-1]
    batch_shape = tf.shape(logits)[:-1]

    def sample_n(n):
        logits_2d = logits if logits.shape.ndims == 2 else tf.reshape(logits, [-1, num_classes])
        draw_dtype = tf.int64 if logits.dtype.size > 4 else tf.int32
        draws = tf.multinomial(logits_2d, n, seed=seed, output_dtype=draw_dtype)
        draws = tf.reshape(tf.transpose(draws), tf.concat([[n], batch_shape], 0))
        return tf.cast(draws, dtype)
    return _draw(sample_n, sample_shape)


def embedding_fn_for(embedding):
    """A callable `ids -> inputs`: the argument itself, or a lookup into it as embedding params."""
    if callable(embedding):
        return embedding
    return lambda ids: tf.nn.embedding_lookup(embedding, ids)


def _time_major_array(tensor):
    """A TensorArray reading one [batch, ...] slice per time step of a time-major tensor."""
    array = tf.TensorArray(dtype=tensor.dtype, size=tf.shape(tensor)[0], element_shape=tensor.shape[1:])
    return array.unstack(tensor)


class Helper(abc.ABC):
    """The sampling interface of BasicDecoder."""

    @abc.abstractproperty
    def batch_size(self):
        """Scalar int32 Tensor: the batch size of `sample`'s result."""
        raise NotImplementedError("batch_size has not been implemented")

    @abc.abstractproperty
    def sample_ids_shape(self):
        """TensorShape of one sample, without the batch dimension."""
        raise NotImplementedError("sample_ids_shape has not been implemented")

    @abc.abstractproperty
    def sample_ids_dtype(self):
        raise NotImplementedError("sample_ids_dtype has not been implemented")

    @abc.abstractmethod
    def initialize(self, name=None):
        """Returns `(initial_finished, initial_inputs)`."""

    @abc.abstractmethod
    def sample(self, time, outputs, state, name=None):
        """Returns `sample_ids`."""

    @abc.abstractmethod
    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        """Returns `(finished, next_inputs, next_state)`."""


class CustomHelper(Helper):
    """A Helper made of three callables (initialize_fn, sample_fn, next_inputs_fn)."""

    def __init__(self, initialize_fn, sample_fn, next_inputs_fn, sample_ids_shape=None, sample_ids_dtype=None):
        self._initialize_fn = initialize_fn
        self._sample_fn = sample_fn
        self._next_inputs_fn = next_inputs_fn
        self._batch_size = None
        self._sample_ids_shape = tf.TensorShape(sample_ids_shape or [])
        self._sample_ids_dtype = sample_ids_dtype or tf.int32

    @property
    def batch_size(self):
        if self._batch_size is None:
            raise ValueError("batch_size accessed before initialize was called")
        return self._batch_size

    @property
    def sample_ids_shape(self):
        return self._sample_ids_shape

    @property
    def sample_ids_dtype(self):
        return self._sample_ids_dtype

    def initialize(self, name=None):
        with tf.name_scope(name, "%sInitialize" % type(self).__name__):
            finished, next_inputs = self._initialize_fn()
            if self._batch_size is None:
                self._batch_size = tf.size(finished)
        return finished, next_inputs

    def sample(self, time, outputs, state, name=None):
        with tf.name_scope(name, "%sSample" % type(self).__name__, (time, outputs, state)):
            return self._sample_fn(time=time, outputs=outputs, state=state)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        with tf.name_scope(name, "%sNextInputs" % type(self).__name__, (time, outputs, state)):
            return self._next_inputs_fn(time=time, outputs=outputs, state=state, sample_ids=sample_ids)


class TrainingHelper(Helper):
    """Teacher forcing: feeds input t+1 after step t; samples are the argmax of the outputs."""

    def __init__(self, inputs, sequence_length, time_major=False, name=None):
        with tf.name_scope(name, "TrainingHelper", [inputs, sequence_length]):
            inputs = tf.convert_to_tensor(inputs, name="inputs")
            self._inputs = inputs
            if not time_major:
                inputs = tf.nest.map_structure(transpose_batch_time, inputs)
            self._input_tas = tf.nest.map_structure(_time_major_array, inputs)
            self._sequence_length = tf.convert_to_tensor(sequence_length, name="sequence_length")
            if self._sequence_length.shape.ndims != 1:
                raise ValueError("Expected sequence_length to be a vector, but received shape: %s"
                                 % self._sequence_length.shape)
            self._zero_inputs = tf.nest.map_structure(lambda inp: tf.zeros_like(inp[0, :]), inputs)
            self._batch_size = tf.size(sequence_length)

    @property
    def inputs(self):
        return self._inputs

    @property
    def sequence_length(self):
        return self._sequence_length

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def sample_ids_shape(self):
        return tf.TensorShape([])

    @property
    def sample_ids_dtype(self):
        return tf.int32

    def _inputs_at(self, time, all_finished):
        """Input slice `time`, or zeros once every sequence is done (the read would be past the end)."""
        return tf.cond(all_finished, lambda: self._zero_inputs,
                       lambda: tf.nest.map_structure(lambda ta: ta.read(time), self._input_tas))

    def initialize(self, name=None):
        with tf.name_scope(name, "TrainingHelperInitialize"):
            finished = tf.equal(0, self._sequence_length)
            return finished, self._inputs_at(0, tf.reduce_all(finished))

    def sample(self, time, outputs, name=None, **unused_kwargs):
        with tf.name_scope(name, "TrainingHelperSample", [time, outputs]):
            return tf.cast(tf.argmax(outputs, axis=-1), tf.int32)

    def next_inputs(self, time, outputs, state, name=None, **unused_kwargs):
        with tf.name_scope(name, "TrainingHelperNextInputs", [time, outputs, state]):
            next_time = time + 1
            finished = next_time >= self._sequence_length
            return finished, self._inputs_at(next_time, tf.reduce_all(finished)), state


def _merge_by_rows(shape, take_rows, taken, keep_rows, kept):
    """A tensor of `shape` whose rows `take_rows` are `taken` and rows `keep_rows` are `kept`."""
    return (tf.scatter_nd(indices=take_rows, updates=taken, shape=shape)
            + tf.scatter_nd(indices=keep_rows, updates=kept, shape=shape))


def _check_probability_rank(sampling_probability):
    if sampling_probability.shape.ndims not in (0, 1):
        raise ValueError("sampling_probability must be either a scalar or a vector. saw shape: %s"
                         % sampling_probability.shape)


class ScheduledEmbeddingTrainingHelper(TrainingHelper):
    """TrainingHelper that, with `sampling_probability`, feeds the embedding of an id sampled from
    the output instead of the ground truth. sample_ids are -1 where no sampling took place."""

    def __init__(self, inputs, sequence_length, embedding, sampling_probability, time_major=False,
                 seed=None, scheduling_seed=None, name=None):
        with tf.name_scope(name, "ScheduledEmbeddingSamplingWrapper", [embedding, sampling_probability]):
            self._embedding_fn = embedding_fn_for(embedding)
            self._sampling_probability = tf.convert_to_tensor(sampling_probability, name="sampling_probability")
            _check_probability_rank(self._sampling_probability)
            self._seed = seed
            self._scheduling_seed = scheduling_seed
            super(ScheduledEmbeddingTrainingHelper, self).__init__(
                inputs=inputs, sequence_length=sequence_length, time_major=time_major, name=name)

    def sample(self, time, outputs, state, name=None):
        with tf.name_scope(name, "ScheduledEmbeddingTrainingHelperSample", [time, outputs, state]):
            use_sample = bernoulli_sample(probs=self._sampling_probability, dtype=tf.bool,
                                          sample_shape=self.batch_size, seed=self._scheduling_seed, after=outputs)
            return tf.where(use_sample, categorical_sample(logits=outputs, seed=self._seed),
                            tf.fill([self.batch_size], -1))

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        with tf.name_scope(name, "ScheduledEmbeddingTrainingHelperNextInputs",
                           [time, outputs, state, sample_ids]):
            finished, truth, state = super(ScheduledEmbeddingTrainingHelper, self).next_inputs(
                time=time, outputs=outputs, state=state, sample_ids=sample_ids, name=name)

            def mix_in_samples():
                sampled_rows = tf.cast(tf.where(sample_ids > -1), tf.int32)
                truth_rows = tf.cast(tf.where(sample_ids <= -1), tf.int32)
                sampled_ids = tf.gather_nd(sample_ids, sampled_rows)
                truth_kept = tf.gather_nd(truth, truth_rows)
                embedded = self._embedding_fn(sampled_ids)
                return _merge_by_rows(tf.shape(truth), sampled_rows, embedded, truth_rows, truth_kept)

            next_inputs = tf.cond(tf.reduce_all(finished), lambda: truth, mix_in_samples)
            return finished, next_inputs, state


class ScheduledOutputTrainingHelper(TrainingHelper):
    """TrainingHelper that, with `sampling_probability`, feeds the output itself (or
    next_inputs_fn(output)) instead of the ground truth; sample_ids say where it did."""

    def __init__(self, inputs, sequence_length, sampling_probability, time_major=False, seed=None,
                 next_inputs_fn=None, auxiliary_inputs=None, name=None):
        with tf.name_scope(name, "ScheduledOutputTrainingHelper",
                           [inputs, auxiliary_inputs, sampling_probability]):
            self._sampling_probability = tf.convert_to_tensor(sampling_probability, name="sampling_probability")
            _check_probability_rank(self._sampling_probability)
            if auxiliary_inputs is None:
                helper_inputs = inputs
            else:
                inputs = tf.convert_to_tensor(inputs, name="inputs")
                auxiliary_inputs = tf.convert_to_tensor(auxiliary_inputs, name="auxiliary_inputs")
                helper_inputs = tf.nest.map_structure(lambda x, y: tf.concat((x, y), -1),
                                                      inputs, auxiliary_inputs)
                if not time_major:
                    auxiliary_inputs = tf.nest.map_structure(transpose_batch_time, auxiliary_inputs)
            self._auxiliary_input_tas = (None if auxiliary_inputs is None
                                         else tf.nest.map_structure(_time_major_array, auxiliary_inputs))
            self._seed = seed
            self._next_inputs_fn = next_inputs_fn
            super(ScheduledOutputTrainingHelper, self).__init__(
                inputs=helper_inputs, sequence_length=sequence_length, time_major=time_major, name=name)

    def sample(self, time, outputs, state, name=None):
        with tf.name_scope(name, "ScheduledOutputTrainingHelperSample", [time, outputs, state]):
            return bernoulli_sample(probs=self._sampling_probability, sample_shape=self.batch_size,
                                    seed=self._seed, after=outputs)

    def _with_auxiliary(self, time, values, rows=None):
        """`values` with the auxiliary inputs of step time+1 (of `rows` only) appended, if any."""
        if self._auxiliary_input_tas is None:
            return values
        auxiliary = tf.nest.map_structure(lambda ta: ta.read(time + 1), self._auxiliary_input_tas)
        if rows is not None:
            auxiliary = tf.gather_nd(auxiliary, rows)
        return tf.nest.map_structure(lambda x, y: tf.concat((x, y), -1), values, auxiliary)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        with tf.name_scope(name, "ScheduledOutputTrainingHelperNextInputs",
                           [time, outputs, state, sample_ids]):
            finished, truth, state = super(ScheduledOutputTrainingHelper, self).next_inputs(
                time=time, outputs=outputs, state=state, sample_ids=sample_ids, name=name)
            use_output = tf.cast(sample_ids, tf.bool)

            def mix_in_outputs():
                if self._next_inputs_fn is None:
                    return tf.where(use_output, self._with_auxiliary(time, outputs), truth)
                sampled_rows = tf.cast(tf.where(use_output), tf.int32)
                truth_rows = tf.cast(tf.where(tf.logical_not(use_output)), tf.int32)
                sampled_outputs = tf.gather_nd(outputs, sampled_rows)
                truth_kept = tf.gather_nd(truth, truth_rows)
                fed = self._with_auxiliary(time, self._next_inputs_fn(sampled_outputs), sampled_rows)
                return _merge_by_rows(tf.shape(truth), sampled_rows, fed, truth_rows, truth_kept)

            nothing_to_mix = tf.logical_or(tf.reduce_all(finished),
                                           tf.logical_not(tf.reduce_any(use_output)))
            next_inputs = tf.cond(nothing_to_mix, lambda: truth, mix_in_outputs)
            return finished, next_inputs, state


class GreedyEmbeddingHelper(Helper):
    """Inference: feeds the embedding of the argmax of each output, until `end_token`."""

    def __init__(self, embedding, start_tokens, end_token):
        self._embedding_fn = embedding_fn_for(embedding)
        self._start_tokens = tf.convert_to_tensor(start_tokens, dtype=tf.int32, name="start_tokens")
        self._end_token = tf.convert_to_tensor(end_token, dtype=tf.int32, name="end_token")
        if self._start_tokens.shape.ndims != 1:
            raise ValueError("start_tokens must be a vector")
        self._batch_size = tf.size(start_tokens)
        if self._end_token.shape.ndims != 0:
            raise ValueError("end_token must be a scalar")
        self._start_inputs = self._embedding_fn(self._start_tokens)

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def sample_ids_shape(self):
        return tf.TensorShape([])

    @property
    def sample_ids_dtype(self):
        return tf.int32

    def initialize(self, name=None):
        return tf.tile([False], [self._batch_size]), self._start_inputs

    def sample(self, time, outputs, state, name=None):
        _require_single_tensor(outputs)
        return tf.argmax(outputs, axis=-1, output_type=tf.int32)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        finished = tf.equal(sample_ids, self._end_token)
        # Once all are finished the next input is never used: start_inputs avoids a lookup.
        next_inputs = tf.cond(tf.reduce_all(finished), lambda: self._start_inputs,
                              lambda: self._embedding_fn(sample_ids))
        return finished, next_inputs, state


def _require_single_tensor(outputs):
    if not isinstance(outputs, tf.Tensor):
        raise TypeError("Expected outputs to be a single Tensor, got: %s" % type(outputs))


class SampleEmbeddingHelper(GreedyEmbeddingHelper):
    """Inference: feeds the embedding of an id sampled from softmax(outputs / softmax_temperature)."""

    def __init__(self, embedding, start_tokens, end_token, softmax_temperature=None, seed=None):
        super(SampleEmbeddingHelper, self).__init__(embedding, start_tokens, end_token)
        self._softmax_temperature = softmax_temperature
        self._seed = seed

    def sample(self, time, outputs, state, name=None):
        _require_single_tensor(outputs)
        logits = outputs if self._softmax_temperature is None else outputs / self._softmax_temperature
        return categorical_sample(logits=logits, seed=self._seed)


class InferenceHelper(Helper):
    """Inference with a custom sample_fn (outputs -> ids) and end_fn (ids -> finished)."""

    def __init__(self, sample_fn, sample_shape, sample_dtype, start_inputs, end_fn, next_inputs_fn=None):
        self._sample_fn = sample_fn
        self._end_fn = end_fn
        self._sample_shape = tf.TensorShape(sample_shape)
        self._sample_dtype = sample_dtype
        self._next_inputs_fn = next_inputs_fn
        self._batch_size = tf.shape(start_inputs)[0]
        self._start_inputs = tf.convert_to_tensor(start_inputs, name="start_inputs")

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def sample_ids_shape(self):
        return self._sample_shape

    @property
    def sample_ids_dtype(self):
        return self._sample_dtype

    def initialize(self, name=None):
        return tf.tile([False], [self._batch_size]), self._start_inputs

    def sample(self, time, outputs, state, name=None):
        return self._sample_fn(outputs)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        next_inputs = sample_ids if self._next_inputs_fn is None else self._next_inputs_fn(sample_ids)
        return self._end_fn(sample_ids), next_inputs, state
