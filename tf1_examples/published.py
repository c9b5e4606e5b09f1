"""The four reproductions and the figures their originals published, as data (no TensorFlow here).

`EXAMPLES` is the one registry: `python -m tf1_examples list`, `run NAME` and `demo` read it, and
later tooling (seed envelopes, regression reports) compares a run's metrics.csv against
`Example.published`. Each published figure names the metrics.csv column and step it corresponds
to, so it can be checked without parsing prose.
"""

from collections import namedtuple

# column: the metrics.csv column; step: the metrics.csv `step` value (None: the run's last step)
Figure = namedtuple("Figure", "label column step value source")
Example = namedtuple("Example", "name module title original source published summary")

_S1_SRC = ("Eastmount, CSDN \"[Python人工智能] 十四.循环神经网络LSTM RNN回归案例之sin曲线预测\", "
           "2020-01-10, TF 1.15, unseeded")
_S2_SRC = "caicloud/tensorflow-tutorial 1.0.0/Chapter08 notebook (book profile: 3000 steps), TF 1.0"
_S4_CODE = "roatienza/Deep-Learning-Experiments rnn_words.py, comments in RNN()"
_S4_ARTICLE = "Edureka RNN tutorial, training log of rnn_words.py"

S1_COSTS = (33.1673, 9.1332, 3.8899, 1.3271, 0.2682, 0.4912, 1.0692, 0.3812, 0.63, 0.335)

EXAMPLES = (
    Example(
        name="lstm_regression",
        module="tf1_examples.lstm_regression",
        title="LSTM RNN regression: predict cos(x) from sin(x)",
        original="Morvan Zhou (MorvanZhou/tutorials tf20_RNN2.2/full_code.py), republished by "
                 "Eastmount (CSDN, 2020-01-10)",
        source="https://github.com/MorvanZhou/tutorials/blob/master/tensorflowTUT/tf20_RNN2.2/full_code.py",
        published=tuple(Figure("cost at step %d" % (20 * k), "cost", 20 * k, v, _S1_SRC)
                        for k, v in enumerate(S1_COSTS)),
        summary="cost 33.1673 -> 0.335 over 200 steps",
    ),
    Example(
        name="sin_predict",
        module="tf1_examples.sin_predict",
        title="Predict sin(x) with a 2-layer LSTM through learn.Estimator + SKCompat",
        original="zoutai, sinPredict.py (2017-12-13), after 《TensorFlow实战Google深度学习框架》 ch. 8 "
                 "(caicloud/tensorflow-tutorial)",
        source="https://github.com/caicloud/tensorflow-tutorial/tree/master/Deep_Learning_with_TensorFlow/1.0.0/Chapter08 (5. 预测正弦函数.ipynb)",
        published=(
            Figure("Mean Square Error is (an RMSE), 3000 steps", "rmse", 3000, 0.009076, _S2_SRC),
            Figure("same, second run of the notebook", "rmse", 3000, 0.008203, _S2_SRC),
            Figure("loss at step 1", "loss", 1, 0.491647, _S2_SRC),
            Figure("loss at step 101", "loss", 101, 0.00536189, _S2_SRC),
            Figure("loss at step 1001", "loss", 1001, 0.000943568, _S2_SRC),
            Figure("loss at step 2001", "loss", 2001, 0.000287493, _S2_SRC),
            Figure("loss at the end (3000 steps)", "loss", 3000, 8.82684e-05, _S2_SRC),
        ),
        summary="book profile (--steps 3000): Mean Square Error is: 0.009076",
    ),
    Example(
        name="seq_data_lstm",
        module="tf1_examples.seq_data_lstm",
        title="2-layer LSTM sequence model on seq_data.xlsx (pandas input, Saver, AUTO_REUSE prediction)",
        original="\"tensorflow 双向LSTM\" blog post; lineage LouisScorpio/datamining "
                 "tensorflow-program/stock_predict.py",
        source="https://github.com/LouisScorpio/datamining/tree/master/tensorflow-program",
        published=(),
        summary="none published (seq_data.xlsx is not public; a documented stand-in is generated)",
    ),
    Example(
        name="rnn_words",
        module="tf1_examples.rnn_words",
        title="Next-word prediction with a 2-layer LSTM over static_rnn (Belling the Cat)",
        original="Rowel Atienza, rnn_words.py (roatienza/Deep-Learning-Experiments, 2017), as taught "
                 "in Edureka's RNN tutorial",
        source="https://github.com/roatienza/Deep-Learning-Experiments/blob/master/Experiments/"
               "Tensorflow/RNN/rnn_words.py",
        published=(
            Figure("Average Accuracy at 50k iterations, 2 layers (%)", "average_accuracy", 50000, 95.20,
                   _S4_CODE),
            Figure("Average Accuracy at 50k iterations, --layers 1 (%)", "average_accuracy", 50000, 90.60,
                   _S4_CODE),
            Figure("Average Loss at Iter 49000", "average_loss", 49000, 0.528684, _S4_ARTICLE),
            Figure("Average Accuracy at Iter 49000 (%)", "average_accuracy", 49000, 88.50, _S4_ARTICLE),
            Figure("Average Loss at Iter 50000", "average_loss", 50000, 0.415811, _S4_ARTICLE),
            Figure("Average Accuracy at Iter 50000 (%)", "average_accuracy", 50000, 91.20, _S4_ARTICLE),
        ),
        summary="Average Accuracy= 95.20% at 50k (2 layers), 90.60% (1 layer)",
    ),
)

BY_NAME = {e.name: e for e in EXAMPLES}
