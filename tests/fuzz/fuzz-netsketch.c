/* fuzz-netsketch.c: libFuzzer harness for the .netsketch document loader. */
#include "config.h"

#include "ns-document.h"

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = NULL;

  graph = ns_document_load_from_data ((const char *) data, size, "fuzz.netsketch", &error);
  fuzz_check_result (graph, error, "fuzz.netsketch");
  return 0;
}
