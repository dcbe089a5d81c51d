#include "store/storelog.h"

namespace herald::syncd {

Q_LOGGING_CATEGORY(lcStore, "herald.syncd.store")

} // namespace herald::syncd
