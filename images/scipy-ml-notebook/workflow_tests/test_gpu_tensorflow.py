"""[GPU WORKFLOW, runs inside the image] TensorFlow finds the GPU through the conda CUDA/cuDNN."""
import numpy as np
import pytest
import tensorflow as tf

pytestmark = pytest.mark.gpu


def test_gpu_listed():
    gpus = tf.config.list_physical_devices("GPU")
    assert gpus, "tf.config.list_physical_devices('GPU') is empty (check LD_LIBRARY_PATH / cuDNN)"
    print("tensorflow", tf.__version__, gpus)


def test_matmul_placed_on_gpu():
    a = np.random.default_rng(0).standard_normal((512, 512)).astype("float32")
    with tf.device("/GPU:0"):
        c = tf.matmul(tf.constant(a), tf.constant(a))
    assert "GPU" in c.device
    np.testing.assert_allclose(c.numpy(), a @ a, rtol=1e-3, atol=1e-2)


def test_keras_fit_on_gpu():
    # One epoch with a conv layer: needs cuDNN and XLA (libdevice via XLA_FLAGS) to work.
    rng = np.random.default_rng(0)
    x = rng.standard_normal((256, 28, 28, 1)).astype("float32")
    y = rng.integers(0, 10, 256)
    with tf.device("/GPU:0"):
        model = tf.keras.Sequential([
            tf.keras.Input((28, 28, 1)),
            tf.keras.layers.Conv2D(8, 3, activation="relu"),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(10),
        ])
        model.compile(optimizer="adam", jit_compile=True,
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        history = model.fit(x, y, epochs=1, batch_size=64, verbose=0)
    assert np.isfinite(history.history["loss"][-1])
