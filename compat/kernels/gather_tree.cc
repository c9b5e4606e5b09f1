// GatherTree for TensorFlow 2.x: the op tf.contrib.seq2seq.gather_tree ran on TF 1.15, which TF 2.x
// no longer ships. Same op definition (name, inputs, attr T: {int32}), so graphs and meta graphs
// written by TF 1.15 load, and compat's graphs hold the one op TF 1.15's did.
//
// beams[t, b, w]: the id at step t on the path that final beam w of batch entry b traces back
// through parent_ids; steps at or past min(max_time, max_sequence_lengths[b]) and every step
// after a beam's first end_token are end_token. A parent id outside [0, beam_width) on a traced
// path is an InvalidArgument error (compat/contrib/seq2seq/beam_search_ops.py composes the same
// result from core ops when this library is not built).

#include <algorithm>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

#include "tensorflow/core/framework/op.h"
#include "tensorflow/core/framework/op_kernel.h"
#include "tensorflow/core/framework/shape_inference.h"
#include "tensorflow/core/framework/tensor.h"

namespace {

using tensorflow::DEVICE_CPU;
using tensorflow::OpKernel;
using tensorflow::OpKernelConstruction;
using tensorflow::OpKernelContext;
using tensorflow::Tensor;
using tensorflow::TensorShapeUtils;
using tensorflow::shape_inference::InferenceContext;
using tensorflow::shape_inference::ShapeHandle;

template <typename... Parts>
absl::Status Invalid(const Parts&... parts) {
  return absl::InvalidArgumentError(absl::StrCat(parts...));
}

absl::Status InferBeamsShape(InferenceContext* c) {
  ShapeHandle step_ids, parent_ids, lengths, end_token;
  TF_RETURN_IF_ERROR(c->WithRank(c->input(0), 3, &step_ids));
  TF_RETURN_IF_ERROR(c->WithRank(c->input(1), 3, &parent_ids));
  TF_RETURN_IF_ERROR(c->WithRank(c->input(2), 1, &lengths));
  TF_RETURN_IF_ERROR(c->WithRank(c->input(3), 0, &end_token));
  TF_RETURN_IF_ERROR(c->Merge(step_ids, parent_ids, &step_ids));
  tensorflow::shape_inference::DimensionHandle batch;
  TF_RETURN_IF_ERROR(c->Merge(c->Dim(step_ids, 1), c->Dim(lengths, 0), &batch));
  c->set_output(0, step_ids);
  return absl::OkStatus();
}

class GatherTreeOp : public OpKernel {
 public:
  explicit GatherTreeOp(OpKernelConstruction* context) : OpKernel(context) {}

  void Compute(OpKernelContext* context) override {
    const Tensor& step_ids = context->input(0);
    const Tensor& parent_ids = context->input(1);
    const Tensor& lengths = context->input(2);
    const Tensor& end_token = context->input(3);
    OP_REQUIRES(context, step_ids.dims() == 3,
                Invalid("step_ids must be [max_time, batch_size, beam_width], got shape ",
                        step_ids.shape().DebugString()));
    OP_REQUIRES(context, parent_ids.shape() == step_ids.shape(),
                Invalid("parent_ids must have step_ids' shape ", step_ids.shape().DebugString(),
                        ", got ", parent_ids.shape().DebugString()));
    OP_REQUIRES(context, TensorShapeUtils::IsVector(lengths.shape()) &&
                             lengths.dim_size(0) == step_ids.dim_size(1),
                Invalid("max_sequence_lengths must be [batch_size] = [", step_ids.dim_size(1),
                        "], got shape ", lengths.shape().DebugString()));
    OP_REQUIRES(context, TensorShapeUtils::IsScalar(end_token.shape()),
                Invalid("end_token must be a scalar, got shape ", end_token.shape().DebugString()));

    Tensor* beams_tensor = nullptr;
    OP_REQUIRES_OK(context, context->allocate_output(0, step_ids.shape(), &beams_tensor));
    const int64_t max_time = step_ids.dim_size(0);
    const int64_t batch_size = step_ids.dim_size(1);
    const int64_t beam_width = step_ids.dim_size(2);
    const int32_t end = end_token.scalar<int32_t>()();
    auto steps = step_ids.tensor<int32_t, 3>();
    auto parents = parent_ids.tensor<int32_t, 3>();
    auto length_of = lengths.vec<int32_t>();
    auto beams = beams_tensor->tensor<int32_t, 3>();
    beams.setConstant(end);

    for (int64_t batch = 0; batch < batch_size; ++batch) {
      const int64_t length = std::min<int64_t>(max_time, length_of(batch));
      if (length <= 0) continue;
      for (int64_t beam = 0; beam < beam_width; ++beam) {
        // Walk back from the last step; time 0's parent is never followed.
        int64_t on_path = beam;
        for (int64_t time = length - 1; time >= 0; --time) {
          beams(time, batch, beam) = steps(time, batch, on_path);
          if (time == 0) break;
          const int32_t parent = parents(time, batch, on_path);
          OP_REQUIRES(context, parent >= 0 && parent < beam_width,
                      Invalid("gather_tree: saw an invalid parent id ", parent,
                              " (outside [0, beam_width = ", beam_width, ")) on a traced beam: ",
                              "batch ", batch, ", beam ", beam, ", time ", time));
          on_path = parent;
        }
        // Past the beam's first end_token everything is padding.
        bool ended = false;
        for (int64_t time = 0; time < length; ++time) {
          if (ended) {
            beams(time, batch, beam) = end;
          } else if (beams(time, batch, beam) == end) {
            ended = true;
          }
        }
      }
    }
  }
};

}  // namespace

REGISTER_OP("GatherTree")
    .Input("step_ids: T")
    .Input("parent_ids: T")
    .Input("max_sequence_lengths: int32")
    .Input("end_token: T")
    .Output("beams: T")
    .Attr("T: {int32}")
    .SetShapeFn(InferBeamsShape);

REGISTER_KERNEL_BUILDER(Name("GatherTree").Device(DEVICE_CPU).TypeConstraint<int32_t>("T"), GatherTreeOp);
