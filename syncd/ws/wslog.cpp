#include "ws/wslog.h"

namespace herald::syncd {
Q_LOGGING_CATEGORY(lcWs, "herald.syncd.ws", QtInfoMsg)
}
