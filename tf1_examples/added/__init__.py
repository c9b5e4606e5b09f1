"""What the reproductions add to their originals (records, pictures, resume positions), one
module per example, so the example files hold the tutorials."""
