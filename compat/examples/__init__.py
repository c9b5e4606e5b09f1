"""tensorflow.examples for TensorFlow 2.x: only tutorials.mnist.input_data, the tutorials' MNIST reader."""
