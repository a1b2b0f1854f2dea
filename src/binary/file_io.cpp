// Whole-file input and atomic output (temporary file in the destination's folder, renamed
// into place), so an interrupted or failed run never leaves a partial module behind. Outputs
// that are not regular files (devices, pipes) are written through; links are followed.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "asyncify/binary/error.h"
#include "asyncify/binary/writer.h"

namespace asyncify {

namespace {

std::string systemError(const std::string& what, const std::string& path) {
  return what + " '" + path + "': " + std::strerror(errno);
}

}  // namespace

std::vector<uint8_t> readFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(systemError("cannot open", path));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) errno = EISDIR;
    Error e(systemError("cannot read", path));
    ::close(fd);
    throw e;
  }
  std::vector<uint8_t> bytes;
  // Regular files: one allocation; pipes and the like: grow as data arrives.
  bytes.reserve(S_ISREG(st.st_mode) ? static_cast<size_t>(st.st_size) : 0);
  uint8_t buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      Error e(systemError("cannot read", path));
      ::close(fd);
      throw e;
    }
    if (n == 0) break;
    bytes.insert(bytes.end(), buffer, buffer + n);
  }
  ::close(fd);
  return bytes;
}

namespace {

// Writes all of `bytes`; false (errno set) when the system refuses.
bool writeAll(int fd, const std::vector<uint8_t>& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

// A device, FIFO or socket (/dev/stdout, a pipe) is written through: renaming a file over it
// would replace it (/dev/null, for a root user) instead of writing to it.
void writeThrough(const std::string& path, const std::vector<uint8_t>& bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw Error(systemError("cannot open", path));
  if (!writeAll(fd, bytes)) {
    Error e(systemError("cannot write", path));
    ::close(fd);
    throw e;
  }
  if (::close(fd) != 0) throw Error(systemError("cannot write", path));
}

}  // namespace

void writeFileAtomically(const std::string& path, const std::vector<uint8_t>& bytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);  // what a link leads to
  if (fs::is_directory(status)) {
    errno = EISDIR;
    throw Error(systemError("cannot write", path));
  }
  if (fs::exists(status) && !fs::is_regular_file(status)) return writeThrough(path, bytes);
  // A symbolic link stays: the file it names (or would name) is the one replaced.
  fs::path target(path);
  for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(target, ec)); hops++) {
    fs::path next = fs::read_symlink(target, ec);
    if (ec) break;
    target = next.is_absolute() ? next : target.parent_path() / next;
  }
  fs::path dir = target.parent_path();
  std::string pattern = (dir.empty() ? fs::path(".") : dir).string() + "/." +
                        target.filename().string() + ".tmp-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) throw Error(systemError("cannot create a temporary file for", path));
  std::string tmp(name.data());
  auto fail = [&](const std::string& what) {
    Error e(systemError(what, path));
    ::close(fd);
    ::unlink(tmp.c_str());
    throw e;
  };
  // mkstemp creates the file 0600; give the output the usual permissions.
  mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(fd, 0666 & ~mask) != 0) fail("cannot set permissions of");
  if (!writeAll(fd, bytes)) fail("cannot write");
  if (::close(fd) != 0) {
    Error e(systemError("cannot write", path));
    ::unlink(tmp.c_str());
    throw e;
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    Error e(systemError("cannot rename the temporary file to", path));
    ::unlink(tmp.c_str());
    throw e;
  }
}

}  // namespace asyncify
