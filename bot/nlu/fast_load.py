"""Load Rasa's TensorFlow models without a training step, so Rasa is up in seconds.

Rasa 3.6 builds each TensorFlow model (DIET, the response selector, TED) on load by
fitting it for one step on one example, then overwrites the weights from the
checkpoint. Tracing that training step is most of a cold start (about 60 of 100 s on
this 2-core machine) and every crash restart and model deploy pays it again, while
the texters' messages wait. A model that only predicts needs no optimizer and no
training graph: Keras restores a checkpoint into a subclassed model when its
variables are first created, which one inference call does.

The shortcut is taken only when it is provably the same model: after the inference
call every variable the model created must have been restored from the checkpoint
(`assert_existing_objects_matched`); otherwise Rasa's own load runs. Fine-tuning
and loads without an inference example always use Rasa's own load.
`tests/test_fast_load.py` checks that both loads predict the same.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

_installed = False


def install() -> None:
    """Replace RasaModel.load (idempotent); call before Rasa loads a model."""
    global _installed
    if _installed:
        return
    from rasa.utils.tensorflow.models import RasaModel

    rasa_load = RasaModel.load.__func__  # type: ignore[attr-defined]

    def load(cls: type, model_file_name: str, model_data_example: Any,
             predict_data_example: Any = None, finetune_mode: bool = False,
             *args: Any, **kwargs: Any) -> Any:
        if finetune_mode or predict_data_example is None:
            return rasa_load(cls, model_file_name, model_data_example,
                             predict_data_example, finetune_mode, *args, **kwargs)
        model = cls(*args, **kwargs)
        status = model.load_weights(model_file_name)
        model.run_inference(predict_data_example)  # creates (and restores) the variables
        try:
            status.assert_existing_objects_matched()
        except AssertionError:
            logger.warning("fast model load did not restore every weight of %s; "
                           "using Rasa's own load", cls.__name__)
            return rasa_load(cls, model_file_name, model_data_example,
                             predict_data_example, finetune_mode, *args, **kwargs)
        status.expect_partial()  # the optimizer's slots are in the file, not needed
        return model

    RasaModel.load = classmethod(load)  # type: ignore[method-assign, assignment]
    _installed = True
