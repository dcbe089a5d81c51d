#pragma once

#include "api/knownchannels.h"
#include "codec/hermescodec.h"
#include "codec/jsoncodec.h"
#include "config/config.h"
#include "http/httpconnection.h"
#include "http/router.h"
#include "model/idgenerator.h"
#include "store/storethread.h"

namespace herald::syncd {

class Authenticator;
class Hub;
class Relay;
struct Metrics;

// What the REST handlers share: built once by the composition root, passed by reference.
struct ApiContext
{
    const Config &config;
    StoreThread &store;
    Hub &hub;
    Relay &relay;
    Authenticator &authenticator;
    Metrics &metrics;
    IdGenerator &ids;
    JsonCodec json;
    HermesCodec hermes;
    QObject *context; // long-lived object on the front thread; store answers arrive there
    KnownChannels knownChannels{};

    // Runs `op` on the store; answers the request with the error, or hands the value to
    // `onValue` (on the front thread).
    template <typename T, typename Op, typename OnValue>
    void query(const HttpResponder &responder, Op op, OnValue onValue)
    {
        store.submit<T>(std::function<Result<T>(SqlStore &)>(std::move(op)), context,
                        [responder, onValue = std::move(onValue)](Result<T> result) mutable {
                            if (!result)
                                responder.send(HttpResponse::error(result.error()));
                            else
                                onValue(std::move(*result));
                        });
    }
};

inline HttpResponse forbidden(const QString &message)
{
    return HttpResponse::error(Error::forbidden(message));
}

} // namespace herald::syncd
