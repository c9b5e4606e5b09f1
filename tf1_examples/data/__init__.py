"""Data the reproductions ship or generate: the Belling the Cat corpus and the seq_data stand-in.

Nothing here imports TensorFlow, so the CLI can check a --data / --corpus file (and stop with a
one-line error) before paying for TensorFlow's import.
"""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
BELLING_THE_CAT = DATA_DIR / "belling_the_cat.txt"


class DataError(ValueError):
    """An input file the example cannot use; the message says what is wrong and what to do."""
