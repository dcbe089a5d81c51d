// SPDX-License-Identifier: Apache-2.0
#include "delivery/httpsender.h"

#include "delivery/curltransfer.h"
#include "delivery/deliverylog.h"
#include "delivery/sendqueue.h"

#include <pthread.h>

#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

// curl_global_init is not safe to run twice at once; the process keeps it to its end.
void initCurlOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// The loop's longest sleep when nothing is due; curl_multi_wakeup ends it early.
constexpr int kIdlePollMs = 1000;

} // namespace

// The delivery thread: takes requests from the inbox (locked), starts them as SendQueue
// allows, drives libcurl and hands every finished transfer to `deliver`. Only `m_inbox` and
// `m_stopping` are shared with other threads.
class HttpSender::Loop
{
public:
    Loop(SenderOptions options, std::function<void(SendResult)> deliver)
        : m_options(std::move(options)), m_deliver(std::move(deliver)),
          m_queue(m_options.maxConcurrent, m_options.maxPerEndpoint), m_multi(curl_multi_init())
    {
        // libcurl keeps 4 idle connections per transfer added: with a handle per request its
        // cache shrank between claims and closed connections that were about to be reused.
        curl_multi_setopt(m_multi, CURLMOPT_MAXCONNECTS, long(m_options.maxConcurrent));
        m_thread = std::thread([this] { run(); });
    }

    ~Loop()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        curl_multi_wakeup(m_multi);
        m_thread.join();
        curl_multi_cleanup(m_multi);
    }

    void add(SendRequest request)
    {
        {
            std::lock_guard lock(m_mutex);
            m_inbox.push_back(std::move(request));
        }
        curl_multi_wakeup(m_multi);
    }

private:
    void run()
    {
        pthread_setname_np(pthread_self(), "delivery"); // for top, gdb and the crash reports
        while (takeInbox()) {
            int running = 0;
            curl_multi_perform(m_multi, &running);
            collectFinished();
            startWaiting();
            curl_multi_poll(m_multi, nullptr, 0, kIdlePollMs, nullptr);
        }
        for (auto &[easy, transfer] : m_transfers)
            curl_multi_remove_handle(m_multi, easy);
        m_transfers.clear();
    }

    // Moves what send() queued into the SendQueue; false once the sender is stopping.
    bool takeInbox()
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping)
            return false;
        for (SendRequest &request : m_inbox)
            m_queue.push(std::move(request));
        m_inbox.clear();
        return true;
    }

    void startWaiting()
    {
        while (std::optional<SendRequest> request = m_queue.takeNext()) {
            auto transfer = std::make_unique<CurlTransfer>(std::move(*request), m_options);
            if (!transfer->isValid() ||
                curl_multi_add_handle(m_multi, transfer->handle()) != CURLM_OK) {
                end(*transfer, notStarted(*transfer));
                continue;
            }
            CURL *easy = transfer->handle();
            m_transfers.emplace(easy, std::move(transfer));
        }
    }

    void collectFinished()
    {
        int left = 0;
        while (CURLMsg *message = curl_multi_info_read(m_multi, &left)) {
            if (message->msg != CURLMSG_DONE)
                continue;
            CURL *easy = message->easy_handle;
            const CURLcode code = message->data.result; // `message` dies with remove_handle
            curl_multi_remove_handle(m_multi, easy);
            const auto it = m_transfers.find(easy);
            if (it == m_transfers.end())
                continue;
            std::unique_ptr<CurlTransfer> transfer = std::move(it->second);
            m_transfers.erase(it);
            if (!transfer->followRedirect(code)) {
                end(*transfer, transfer->result(code));
            } else if (curl_multi_add_handle(m_multi, easy) != CURLM_OK) {
                end(*transfer, notStarted(*transfer));
            } else {
                m_transfers.emplace(easy, std::move(transfer));
            }
        }
    }

    // Frees the transfer's slot and reports its result.
    void end(const CurlTransfer &transfer, SendResult result)
    {
        qCDebug(lcDelivery).nospace()
            << "request " << result.tag << " to " << transfer.request().endpoint << ": "
            << result.status() << " in " << result.elapsedMs << " ms " << result.error;
        m_queue.release(transfer.request().endpoint);
        m_deliver(std::move(result));
    }

    static SendResult notStarted(const CurlTransfer &transfer)
    {
        SendResult result;
        result.tag = transfer.request().tag;
        result.failure = SendFailure::Network; // libcurl is out of memory: worth another try
        result.error = u"could not start the transfer"_s;
        return result;
    }

    const SenderOptions m_options;
    const std::function<void(SendResult)> m_deliver;
    SendQueue m_queue;                                                     // the loop's thread
    std::unordered_map<CURL *, std::unique_ptr<CurlTransfer>> m_transfers; // the loop's thread
    CURLM *const m_multi;
    std::thread m_thread;

    std::mutex m_mutex; // guards the two below
    std::vector<SendRequest> m_inbox;
    bool m_stopping = false;
};

HttpSender::HttpSender(SenderOptions options, QObject *parent) : QObject(parent)
{
    initCurlOnce();
    m_loop = std::make_unique<Loop>(std::move(options),
                                    [this](SendResult result) { deliver(std::move(result)); });
}

HttpSender::~HttpSender()
{
    // Joins the thread: after this no result is posted, and those posted but not yet
    // delivered die with this object's pending events.
    m_loop.reset();
}

void HttpSender::send(SendRequest request)
{
    m_inFlight.fetch_add(1);
    m_loop->add(std::move(request));
}

void HttpSender::deliver(SendResult result)
{
    QMetaObject::invokeMethod(
        this,
        [this, result = std::move(result)] {
            m_inFlight.fetch_sub(1);
            emit finished(result);
        },
        Qt::QueuedConnection);
}

} // namespace herald::syncd
