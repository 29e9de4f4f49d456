"""The reliability suite: hostile files, hostile input, crashes, concurrency and round trips."""
