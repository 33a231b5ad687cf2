#include "settings/KeychainBackend.h"

#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

TokenBackend::Result resultOf(const QKeychain::Job &job)
{
    using Status = TokenBackend::Status;
    switch (job.error()) {
    case QKeychain::NoError:
        return { Status::Ok, {}, {} };
    case QKeychain::EntryNotFound:
        return { Status::NotFound, {}, job.errorString() };
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return { Status::Unavailable, {}, job.errorString() };
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
    case QKeychain::OtherError:
        // 0.13.2 on Linux also lands here when there is no Secret Service at
        // all (libsecret's D-Bus error is not one of its own): TokenStore
        // falls back either way, and the message says which it was.
        break;
    }
    return { Status::Failed, {}, job.errorString() };
}

// Every job: deletes itself when done, and is never parented to us. The
// libsecret code inside QtKeychain keeps a raw pointer to the job until its
// callback runs, so deleting a job in flight (with its parent) would crash.
// Our context object on the connection drops the result if we are gone.
//
// Never setInsecureFallback(true): on 0.13.2 it does nothing on Linux, and
// where it works it writes the token to a plain QSettings file.
template<typename JobType> JobType *newJob(const QString &account)
{
    auto *job = new JobType(KeychainBackend::serviceName());
    job->setAutoDelete(true);
    job->setKey(account);
    return job;
}

} // namespace

QString KeychainBackend::serviceName()
{
    return u"candidate-desk"_s;
}

void KeychainBackend::read(const QString &account, Done done)
{
    auto *job = newJob<QKeychain::ReadPasswordJob>(account);
    connect(job, &QKeychain::Job::finished, this, [job, done = std::move(done)] {
        Result result = resultOf(*job);
        if (result.status == Status::Ok)
            result.token = job->textData().toUtf8();
        done(result);
    });
    job->start();
}

void KeychainBackend::write(const QString &account, const QByteArray &token, Done done)
{
    auto *job = newJob<QKeychain::WritePasswordJob>(account);
    // Text, not binary: QtKeychain stores binary data base64-encoded, and a
    // person looking in Seahorse or `secret-tool` should see the token itself.
    job->setTextData(QString::fromUtf8(token));
    connect(job, &QKeychain::Job::finished, this,
            [job, done = std::move(done)] { done(resultOf(*job)); });
    job->start();
}

void KeychainBackend::remove(const QString &account, Done done)
{
    auto *job = newJob<QKeychain::DeletePasswordJob>(account);
    connect(job, &QKeychain::Job::finished, this,
            [job, done = std::move(done)] { done(resultOf(*job)); });
    job->start();
}

} // namespace cdesk
