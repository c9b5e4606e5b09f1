"""tf.train.Server (= tf.distribute.Server) whose create_local_server() names its job "local".

TF 1.x's single-process server ran one task of a job called `local`, and TF 1.x scripts place
ops on `/job:local/task:0`; TF 2.x renamed that job `localhost`, so those placements fail with
"Cannot assign a device". Everything else is TensorFlow's own Server (this is a subclass).
"""

from tensorflow.python.training import server_lib

LOCAL_JOB = "local"


class Server(server_lib.Server):
    __doc__ = server_lib.Server.__doc__

    @staticmethod
    def create_local_server(config=None, start=True):
        """A started (unless start=False) one-task server of job "local" on a free port, as TF 1.x."""
        return Server({LOCAL_JOB: ["localhost:0"]}, protocol="grpc", config=config, start=start)
