"""tensorflow.examples.tutorials.mnist for TensorFlow 2.x (input_data only)."""
