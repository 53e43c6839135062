"""Benchmarks of Whisper Transcriber: `python -m bench` runs them all, `python -m bench.<name>`
one; `--quick` gives a smaller run. Results go to bench/RESULTS.md, one section per benchmark."""
