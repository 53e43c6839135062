"""Which queue a job waits on: decided by its model and the device rules in the settings.

Models listed in `TRANSCRIBER_WORKER__GPU_MODELS` are too slow for a CPU and wait on the GPU
queue; every other model runs on the CPU queue, which GPU workers may consume too
(`transcriber worker --queues gpu,cpu`). docs/decisions/0040-queues-and-model-routing.md.
"""

from __future__ import annotations

from transcriber.config import Settings


def queue_for_model(settings: Settings, model: str) -> str:
    worker = settings.worker
    gpu_models = {name.strip().lower() for name in worker.gpu_models}
    if model.strip().lower() in gpu_models:
        return worker.gpu_queue
    return worker.default_queue
