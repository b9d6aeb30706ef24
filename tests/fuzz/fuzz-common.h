/* fuzz-common.h: what every libFuzzer harness of Netsketch's loaders shares. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ns-graph.h"

/* libFuzzer's entry points; declared here because no system header does.
 * fuzz-common.c defines LLVMFuzzerInitialize() for every harness: it makes
 * GLib's criticals and warnings abort, since a g_return_if_fail() tripped by
 * file content is a bug the fuzzer must report, not a line in a log. */
int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

/* What every harness does with a loader's answer: a refusal must name
 * @display_name (test-hostile-input checks that the name comes first), a
 * graph is walked with fuzz_exercise_graph(). Aborts otherwise. */
void fuzz_check_result    (NsGraph        *graph,
                           GError         *error,
                           const char     *display_name);
/* Walks a loaded graph the way a caller would (summary in every format,
 * save to .netsketch and load that again), so that a graph that loads but is
 * inconsistent crashes here rather than in the app. */
void fuzz_exercise_graph  (NsGraph        *graph);
