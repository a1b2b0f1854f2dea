// Module-level validation: everything but function bodies.
#pragma once

#include "module_context.h"

namespace asyncify::validate {

// Types, imports, functions, tables, memories, tags, globals, exports, start, element and data
// segments. Throws asyncify::Error at the first problem.
void validateModuleFields(const ModuleContext& ctx);

}  // namespace asyncify::validate
