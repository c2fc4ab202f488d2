// cli/workers: analysis in forked worker processes, for `ricochet analyze --threads N`.
//
// Threads of one process share GLib's and malloc's internals, and on two cores they lost a third of
// the gain to that sharing (bench/compare.sh: x1.4 on two threads). Worker processes, forked after
// the analyzer is built (so its compiled patterns are shared copy-on-write), share nothing: two of
// them do twice the work of one in about the same time. A worker that dies (a crash in a parser)
// takes no record of the rest of the batch with it: it is replaced, and the messages it held are
// tried again one by one, so only the message that kills a worker is reported as failed.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "io/reader.h"
#include "ricochet/ricochet.h"

namespace ricochet::cli {

// One message of the input and what became of it.
struct job {
    io::message msg;
    analysis result;   // in worker-process mode only `error` and `error_message` come back
    std::string text;  // the job's output, rendered by whoever analysed it
};

// Analyses and renders one job (fills result and text); runs in the workers.
using job_fn = std::function<void(job&)>;

class worker_pool {
public:
    // Forks `n` workers that run `fn`. Call before starting any thread. Returns null (with a reason
    // in `error`) when the system refuses.
    static std::unique_ptr<worker_pool> start(unsigned n, job_fn fn, std::string* error);
    ~worker_pool();
    worker_pool(const worker_pool&) = delete;
    worker_pool& operator=(const worker_pool&) = delete;

    unsigned size() const { return static_cast<unsigned>(workers_.size()); }

    // Has worker `k` analyse `jobs` and waits for the answers. Only one thread may use a given k at
    // a time; different k run in parallel.
    void run(unsigned k, std::vector<job>& jobs);

private:
    struct worker {
        pid_t pid = -1;
        int fd = -1;  // our end of the socket pair
    };
    explicit worker_pool(job_fn fn) : fn_(std::move(fn)) {}
    bool spawn(worker& w, std::string* error);
    void retire(worker& w, std::string* how);
    bool exchange(worker& w, std::vector<job>& jobs, std::size_t first, std::size_t count);

    job_fn fn_;
    std::vector<worker> workers_;
};

}  // namespace ricochet::cli
