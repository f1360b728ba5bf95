"""VoiceHire: an open-source AI voice interviewer built on LiveKit Agents."""

import os

# numpy's OpenBLAS runs single-threaded in VoiceHire's processes (set before numpy loads;
# an explicit OPENBLAS_NUM_THREADS wins). Its worker threads must stop at every fork (an
# at-fork handler), and a fork while other threads used numpy hung the server for good:
# espeak-ng's subprocess, started while an interview was being scored, never returned
# (stuck in OpenBLAS's blas_thread_shutdown_). The matrices here (sentence embeddings,
# audio frames) are small: one thread is as fast.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
