/* fuzz-model.c: libFuzzer harness for ns_model_load_from_data(): Keras 2 and
 * Keras 3 model.to_json(), TensorFlow.js topologies, by content detection. */
#include "config.h"

#include "ns-model-io.h"

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = NULL;

  graph = ns_model_load_from_data ((const char *) data, size, "fuzz.json", &error);
  fuzz_check_result (graph, error, "fuzz.json");
  return 0;
}
