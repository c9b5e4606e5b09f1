"""tensorflow.examples.tutorials for TensorFlow 2.x (mnist only)."""
