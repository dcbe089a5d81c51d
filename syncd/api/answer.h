// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/reply.h"
#include "http/httpconnection.h"

#include <type_traits>

namespace herald::syncd {

// Turns a core Reply into an HTTP answer: errors through their one status mapping, values
// through `onValue`.
template <typename T, typename OnValue> Reply<T> answer(HttpResponder responder, OnValue onValue)
{
    return [responder = std::move(responder), onValue = std::move(onValue)](Result<T> result) {
        if (!result)
            responder.send(HttpResponse::error(result.error()));
        else if constexpr (std::is_void_v<T>)
            onValue();
        else
            onValue(std::move(*result));
    };
}

inline void sendError(const HttpResponder &responder, const Error &error)
{
    responder.send(HttpResponse::error(error));
}

} // namespace herald::syncd
