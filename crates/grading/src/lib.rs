//! MLPS grading (定级): harmed object x degree of harm -> protection level, on GB/T 22240-2020 or the draft regulation's matrix.
