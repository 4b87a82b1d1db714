"""GPU workflow: standalone Keras 3 trains, evaluates and predicts with a tiny model."""
import pytest


@pytest.fixture(scope="module")
def trained():
    import keras
    import numpy as np

    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(100, 5)), rng.integers(0, 2, size=(100, 1))
    model = keras.Sequential([keras.Input(shape=(5,)), keras.layers.Dense(10, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=1, verbose=0)
    return model, x, y


def test_train_shapes(trained):
    model, _, _ = trained
    assert model.input_shape == (None, 5) and model.output_shape == (None, 1)


def test_evaluate(trained):
    model, x, y = trained
    loss, accuracy = model.evaluate(x, y, verbose=0)
    assert loss >= 0 and 0 <= accuracy <= 1


def test_predict(trained):
    model, x, _ = trained
    prediction = model.predict(x[:1], verbose=0)
    assert prediction.shape == (1, 1) and 0 <= prediction[0, 0] <= 1
