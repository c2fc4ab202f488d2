#include "workers.h"

#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>

namespace ricochet::cli {
namespace {

// Frames: an 8-byte length, then the payload. Inside a payload: 8-byte lengths before strings.
void put_u64(std::string& b, std::uint64_t v) {
    char c[8];
    std::memcpy(c, &v, 8);
    b.append(c, 8);
}

void put_str(std::string& b, std::string_view s) {
    put_u64(b, s.size());
    b.append(s);
}

struct reader {
    std::string_view rest;
    bool ok = true;

    std::uint64_t u64() {
        if (rest.size() < 8) {
            ok = false;
            return 0;
        }
        std::uint64_t v;
        std::memcpy(&v, rest.data(), 8);
        rest.remove_prefix(8);
        return v;
    }
    std::string str() {
        std::uint64_t n = u64();
        if (!ok || n > rest.size()) {
            ok = false;
            return {};
        }
        std::string s(rest.substr(0, n));
        rest.remove_prefix(n);
        return s;
    }
};

bool send_all(int fd, const char* p, std::size_t n) {
    while (n > 0) {
        ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        p += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

bool recv_all(int fd, char* p, std::size_t n) {
    while (n > 0) {
        ssize_t r = ::recv(fd, p, n, 0);
        if (r < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        if (r == 0) return false;
        p += r;
        n -= static_cast<std::size_t>(r);
    }
    return true;
}

bool write_frame(int fd, const std::string& payload) {
    std::string head;
    put_u64(head, payload.size());
    return send_all(fd, head.data(), head.size()) && send_all(fd, payload.data(), payload.size());
}

bool read_frame(int fd, std::string& payload) {
    char head[8];
    if (!recv_all(fd, head, 8)) return false;
    std::uint64_t n;
    std::memcpy(&n, head, 8);
    if (n > (std::uint64_t{1} << 40)) return false;
    payload.resize(n);
    return recv_all(fd, payload.data(), n);
}

// The worker: read a chunk, analyse it, answer; until the parent closes the socket.
[[noreturn]] void worker_main(int fd, const job_fn& fn) {
    std::string in, out;
    for (;;) {
        if (!read_frame(fd, in)) ::_exit(0);
        reader r{in};
        std::uint64_t n = r.u64();
        out.clear();
        put_u64(out, n);
        for (std::uint64_t i = 0; i < n && r.ok; ++i) {
            job j;
            j.msg.source = r.str();
            j.msg.bytes = r.str();
            j.msg.truncated = r.u64() != 0;
            if (!r.ok) break;
            fn(j);
            put_u64(out, static_cast<std::uint64_t>(j.result.error));
            put_str(out, j.result.error_message);
            put_str(out, j.text);
        }
        if (!r.ok || !write_frame(fd, out)) ::_exit(1);
    }
}

}  // namespace

std::unique_ptr<worker_pool> worker_pool::start(unsigned n, job_fn fn, std::string* error) {
    std::unique_ptr<worker_pool> pool(new worker_pool(std::move(fn)));
    pool->workers_.resize(n);
    for (auto& w : pool->workers_)
        if (!pool->spawn(w, error)) return nullptr;
    return pool;
}

worker_pool::~worker_pool() {
    for (auto& w : workers_) retire(w, nullptr);
}

bool worker_pool::spawn(worker& w, std::string* error) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        if (error) *error = std::string("socketpair: ") + std::strerror(errno);
        return false;
    }
    // Whatever the parent has buffered must not be written twice.
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t pid = ::fork();
    if (pid < 0) {
        if (error) *error = std::string("fork: ") + std::strerror(errno);
        ::close(sv[0]);
        ::close(sv[1]);
        return false;
    }
    if (pid == 0) {
        ::close(sv[0]);
        for (const auto& other : workers_)
            if (other.fd >= 0) ::close(other.fd);
        worker_main(sv[1], fn_);
    }
    ::close(sv[1]);
    w.pid = pid;
    w.fd = sv[0];
    return true;
}

void worker_pool::retire(worker& w, std::string* how) {
    if (w.fd >= 0) ::close(w.fd);
    w.fd = -1;
    if (w.pid > 0) {
        int st = 0;
        while (::waitpid(w.pid, &st, 0) < 0 && errno == EINTR) {
        }
        if (how) {
            if (WIFSIGNALED(st)) *how = std::string("killed by signal ") + std::to_string(WTERMSIG(st));
            else *how = "exited with status " + std::to_string(WEXITSTATUS(st));
        }
    }
    w.pid = -1;
}

bool worker_pool::exchange(worker& w, std::vector<job>& jobs, std::size_t first, std::size_t count) {
    std::vector<job*> sent;
    for (std::size_t i = first; i < first + count; ++i)
        if (jobs[i].msg.error.empty()) sent.push_back(&jobs[i]);
    if (sent.empty()) return true;
    std::string out;
    std::size_t total = 0;
    for (const job* j : sent) total += j->msg.bytes.size() + j->msg.source.size() + 32;
    out.reserve(total + 8);
    put_u64(out, sent.size());
    for (const job* j : sent) {
        put_str(out, j->msg.source);
        put_str(out, j->msg.bytes);
        put_u64(out, j->msg.truncated ? 1 : 0);
    }
    if (!write_frame(w.fd, out)) return false;
    out.clear();
    out.shrink_to_fit();
    std::string in;
    if (!read_frame(w.fd, in)) return false;
    reader r{in};
    if (r.u64() != sent.size()) return false;
    for (job* j : sent) {
        auto code = r.u64();
        j->result.error = static_cast<error_code>(code);
        j->result.error_message = r.str();
        j->text = r.str();
        if (!r.ok) return false;
        j->msg.bytes.clear();
        j->msg.bytes.shrink_to_fit();
    }
    return true;
}

void worker_pool::run(unsigned k, std::vector<job>& jobs) {
    worker& w = workers_[k];
    if (w.fd >= 0 && exchange(w, jobs, 0, jobs.size())) return;
    // The worker died on this chunk: replace it and try each message alone, so that only the one
    // that kills a worker is lost.
    std::string how;
    retire(w, &how);
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        job& j = jobs[i];
        if (!j.msg.error.empty()) continue;
        std::string why;
        if (w.fd < 0 && !spawn(w, &why)) {
            j.result.error = error_code::internal;
            j.result.error_message = "no worker process to analyse it: " + why;
            continue;
        }
        if (exchange(w, jobs, i, 1)) continue;
        retire(w, &how);
        j.result.error = error_code::internal;
        j.result.error_message = "the analysis of this message crashed (worker " + how + "); the rest of the input goes on";
        j.text.clear();
    }
}

}  // namespace ricochet::cli
