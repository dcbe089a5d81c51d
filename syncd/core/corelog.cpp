#include "core/corelog.h"

namespace herald::syncd {
Q_LOGGING_CATEGORY(lcCore, "herald.syncd.core", QtInfoMsg)
}
