"""Faithful reproductions of four classic TensorFlow 1.x RNN tutorials (see `python -m tf1_examples list`)."""
