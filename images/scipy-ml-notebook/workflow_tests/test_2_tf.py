"""GPU workflow: TensorFlow sees the GPU and its CUDA libraries (cuBLAS, cuDNN, cuFFT) work."""
import pytest

NO_TENSORRT = (
    "TensorFlow 2.18.0's CUDA builds ship with TensorRT support disabled (tensorflow/tensorflow#87911), so the "
    "linked and loaded TensorRT versions are (0, 0, 0) whatever tensorrt wheel is installed (images/README.md)"
)


@pytest.fixture(scope="session")
def tf():
    import tensorflow as tf

    assert tf.config.list_physical_devices("GPU"), "TensorFlow lists no GPU"
    return tf


def test_gpu_listed(tf):
    assert len(tf.config.list_physical_devices("GPU")) >= 1


def test_linear_regression(tf):
    import numpy as np

    x = np.linspace(0, 10, 200).astype("float32")
    y = 3 * x + 2 + np.random.default_rng(0).normal(0, 1, 200).astype("float32")
    model = tf.keras.Sequential([tf.keras.Input(shape=(1,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer=tf.keras.optimizers.Adam(0.1), loss="mse")
    model.fit(x, y, epochs=100, verbose=0)
    assert model.evaluate(x, y, verbose=0) <= 10


def test_matmul(tf):
    assert tf.matmul(tf.constant([[1, 2], [3, 4]]), tf.constant([[1, 1], [0, 1]])).numpy().tolist() == [[1, 3], [3, 7]]


def test_arithmetic(tf):
    assert int(tf.add(tf.multiply(2, 3), 1)) == 7


@pytest.mark.xfail(reason=NO_TENSORRT, strict=True)
def test_tensorrt(tf):
    from tensorflow.python.compiler.tensorrt import trt_convert  # noqa: F401 (fails without TensorRT support)
    from tensorflow.compiler.tf2tensorrt.wrap_py_utils import get_linked_tensorrt_version, get_loaded_tensorrt_version

    linked, loaded = tuple(get_linked_tensorrt_version()), tuple(get_loaded_tensorrt_version())
    assert linked != (0, 0, 0) and loaded != (0, 0, 0) and linked == loaded


def test_cublas_matmul(tf):
    with tf.device("/GPU:0"):
        assert tf.matmul(tf.random.normal((1000, 1000)), tf.random.normal((1000, 1000))).shape == (1000, 1000)


def test_cudnn_conv2d(tf):
    with tf.device("/GPU:0"):
        output = tf.keras.layers.Conv2D(32, 3)(tf.random.normal((1, 28, 28, 3)))
    assert output.shape == (1, 26, 26, 32)


def test_cufft_round_trip(tf):
    with tf.device("/GPU:0"):
        signal = tf.complex(tf.random.normal((1024,)), tf.zeros((1024,)))
        back = tf.signal.ifft(tf.signal.fft(signal))
    assert float(tf.reduce_max(tf.abs(back - signal))) < 1e-4
