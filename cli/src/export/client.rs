//! The BigQuery REST calls the export makes (v2 API): datasets, tables, load
//! jobs with the data in the request (multipart, or a resumable session in
//! chunks), jobs.get and a query for the verification.
//!
//! Every call retries 429, 5xx, timeouts and dropped connections (see
//! `retry`). Calls that create a load job are special: a fault there is
//! ambiguous (the job may exist although the answer was lost), so before
//! sending again the client asks BigQuery for the job by its id, and a 409
//! for that id means "poll it", never "load again".

use super::auth::TokenSource;
use super::retry::{retryable_status, retryable_transport, RetryPolicy};
use anyhow::{anyhow, bail, Context, Result};
use bytes::Bytes;
use rand::Rng;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// Real BigQuery.
pub const DEFAULT_ENDPOINT: &str = "https://bigquery.googleapis.com";

/// A load job the export wants to exist exactly once.
#[derive(Debug, Clone)]
pub struct LoadJob {
    pub job_id: String,
    pub dataset: String,
    pub table: String,
    pub fields: Value,
    /// For a table the load creates.
    pub description: Option<String>,
}

/// How a job-creating call ended.
#[derive(Debug)]
pub enum Created {
    /// BigQuery answered with the job resource.
    Job(Value),
    /// The job id already existed (409), or the job was found after a lost
    /// answer: poll it by id.
    Exists,
}

/// A resumable session BigQuery no longer knows (expired or gone): the
/// table's upload starts again (same job id, same snapshot).
#[derive(Debug, thiserror::Error)]
#[error("the upload session was lost ({0})")]
pub struct SessionLost(pub String);

/// A load job that ended with an error, as BigQuery reported it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct JobFailed(pub String);

/// The outcome of one attempt.
enum Attempt {
    /// An answer that retrying will not change (success or a 4xx).
    Answer(Response),
    /// Worth retrying: what went wrong.
    Fault(String),
}

pub struct Client {
    http: reqwest::Client,
    base: String,
    pub project: String,
    pub location: String,
    auth: Option<TokenSource>,
    retry: RetryPolicy,
    /// Timeout of a call (an upload chunk gets `upload_timeout`).
    pub request_timeout: Duration,
    pub upload_timeout: Duration,
    retries: AtomicU32,
}

impl Client {
    pub fn new(
        http: reqwest::Client,
        endpoint: &str,
        project: &str,
        location: &str,
        auth: Option<TokenSource>,
        retry: RetryPolicy,
        request_timeout: Duration,
    ) -> Client {
        Client {
            http,
            base: endpoint.trim_end_matches('/').to_string(),
            project: project.to_string(),
            location: location.to_string(),
            auth,
            retry,
            request_timeout,
            upload_timeout: request_timeout.max(Duration::from_secs(300)),
            retries: AtomicU32::new(0),
        }
    }

    /// Faults retried so far.
    pub fn retries(&self) -> u32 {
        self.retries.load(Ordering::Relaxed)
    }

    pub fn token_exchanges(&self) -> u32 {
        self.auth.as_ref().map_or(0, |a| a.exchanges())
    }

    /// Checks the credentials now (a token exchange), before anything is written.
    pub async fn check_auth(&self) -> Result<()> {
        if let Some(a) = &self.auth {
            a.token().await?;
        }
        Ok(())
    }

    fn api(&self, path: &str) -> String {
        format!("{}/bigquery/v2/projects/{}{path}", self.base, self.project)
    }

    fn upload_url(&self, upload_type: &str) -> String {
        format!(
            "{}/upload/bigquery/v2/projects/{}/jobs?uploadType={upload_type}",
            self.base, self.project
        )
    }

    /// One attempt: auth header, send, classify.
    async fn attempt(&self, rb: RequestBuilder) -> Result<Attempt> {
        let rb = match &self.auth {
            Some(a) => rb.bearer_auth(a.token().await?.expose()),
            None => rb,
        };
        match rb.send().await {
            Ok(resp) => {
                let status = resp.status().as_u16();
                if status == 401 && self.auth.is_some() {
                    if let Some(a) = &self.auth {
                        a.invalidate().await;
                    }
                    return Ok(Attempt::Fault("401 Unauthorized (token refreshed)".into()));
                }
                if (500..600).contains(&status) || status == 429 || status == 408 || status == 403 {
                    // Read the body to classify (and report) it.
                    let body = resp.text().await.unwrap_or_default();
                    if retryable_status(status, &body) {
                        return Ok(Attempt::Fault(format!(
                            "{status}: {}",
                            error_message(&body)
                        )));
                    }
                    bail!("{status}: {}", error_message(&body));
                }
                Ok(Attempt::Answer(resp))
            }
            Err(e) if retryable_transport(&e) => Ok(Attempt::Fault(describe_transport(&e))),
            Err(e) => Err(anyhow!("{}", describe_transport(&e))),
        }
    }

    async fn backoff(&self, retry: u32) {
        self.retries.fetch_add(1, Ordering::Relaxed);
        tokio::time::sleep(self.retry.delay(retry)).await;
    }

    /// A call retried on faults; returns the first answer (any status the
    /// caller must look at).
    async fn call(&self, what: &str, make: impl Fn() -> RequestBuilder) -> Result<Response> {
        let mut retry = 0;
        loop {
            match self
                .attempt(make())
                .await
                .with_context(|| what.to_string())?
            {
                Attempt::Answer(r) => return Ok(r),
                Attempt::Fault(f) if retry < self.retry.max_retries => {
                    log::debug!("{what}: {f}; retrying");
                    self.backoff(retry).await;
                    retry += 1;
                }
                Attempt::Fault(f) => {
                    bail!("{what}: gave up after {} attempts: {f}", retry + 1)
                }
            }
        }
    }

    /// A JSON call expecting 2xx.
    async fn call_json(
        &self,
        what: &str,
        method: Method,
        url: &str,
        body: Option<&Value>,
    ) -> Result<Value> {
        let resp = self
            .call(what, || {
                let rb = self
                    .http
                    .request(method.clone(), url)
                    .timeout(self.request_timeout);
                match body {
                    Some(b) => rb.json(b),
                    None => rb,
                }
            })
            .await?;
        expect_json(what, resp).await
    }

    /// A job-creating call: faults are ambiguous, so before each retry the
    /// job is looked up by id; 409 means it exists.
    async fn create_job(
        &self,
        what: &str,
        job_id: &str,
        make: impl Fn() -> RequestBuilder,
    ) -> Result<Created> {
        let mut retry = 0;
        loop {
            match self
                .attempt(make())
                .await
                .with_context(|| what.to_string())?
            {
                Attempt::Answer(r) if r.status() == StatusCode::CONFLICT => {
                    return Ok(Created::Exists)
                }
                Attempt::Answer(r) => return Ok(Created::Job(expect_json(what, r).await?)),
                Attempt::Fault(f) if retry < self.retry.max_retries => {
                    log::debug!("{what}: {f}; looking for job {job_id} before retrying");
                    self.backoff(retry).await;
                    retry += 1;
                    if self.find_job(job_id).await?.is_some() {
                        return Ok(Created::Exists);
                    }
                }
                Attempt::Fault(f) => {
                    bail!("{what}: gave up after {} attempts: {f}", retry + 1)
                }
            }
        }
    }

    /// Creates the dataset unless it exists; true when created. An existing
    /// dataset in another location is an error.
    pub async fn ensure_dataset(&self, dataset: &str) -> Result<bool> {
        let what = format!("dataset {}:{dataset}", self.project);
        let url = self.api(&format!("/datasets/{dataset}"));
        let resp = self
            .call(&what, || self.http.get(&url).timeout(self.request_timeout))
            .await?;
        if resp.status().is_success() {
            let ds: Value = expect_json(&what, resp).await?;
            let loc = ds["location"].as_str().unwrap_or("");
            if !loc.is_empty() && !loc.eq_ignore_ascii_case(&self.location) {
                bail!(
                    "{what} is in location {loc}, not {} (pass --location {loc})",
                    self.location
                );
            }
            return Ok(false);
        }
        if resp.status() != StatusCode::NOT_FOUND {
            return Err(status_error(&what, resp).await);
        }
        let body = json!({
            "datasetReference": {"projectId": self.project, "datasetId": dataset},
            "location": self.location,
        });
        let url = self.api("/datasets");
        let resp = self
            .call(&format!("creating {what}"), || {
                self.http
                    .post(&url)
                    .timeout(self.request_timeout)
                    .json(&body)
            })
            .await?;
        match resp.status() {
            s if s.is_success() => Ok(true),
            StatusCode::CONFLICT => Ok(false),
            _ => Err(status_error(&format!("creating {what}"), resp).await),
        }
    }

    fn table_url(&self, dataset: &str, table: &str) -> String {
        self.api(&format!("/datasets/{dataset}/tables/{table}"))
    }

    pub async fn get_table(&self, dataset: &str, table: &str) -> Result<Option<Value>> {
        let what = format!("table {dataset}.{table}");
        let url = self.table_url(dataset, table);
        let resp = self
            .call(&what, || self.http.get(&url).timeout(self.request_timeout))
            .await?;
        if resp.status() == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        expect_json(&what, resp).await.map(Some)
    }

    /// tables.patch with the given fields (descriptions, schema).
    pub async fn patch_table(&self, dataset: &str, table: &str, body: &Value) -> Result<()> {
        let what = format!("updating table {dataset}.{table}");
        self.call_json(
            &what,
            Method::PATCH,
            &self.table_url(dataset, table),
            Some(body),
        )
        .await
        .map(|_| ())
    }

    fn job_config(&self, job: &LoadJob) -> Value {
        json!({
            "jobReference": {
                "projectId": self.project, "jobId": job.job_id, "location": self.location,
            },
            "configuration": {"load": {
                "destinationTable": {
                    "projectId": self.project, "datasetId": job.dataset, "tableId": job.table,
                },
                "sourceFormat": "NEWLINE_DELIMITED_JSON",
                "writeDisposition": "WRITE_TRUNCATE",
                "createDisposition": "CREATE_IF_NEEDED",
                "schema": {"fields": job.fields},
                "destinationTableProperties": {"description": job.description},
                "maxBadRecords": 0,
                "ignoreUnknownValues": false,
            }},
        })
    }

    /// The whole data in one request (`uploadType=multipart`).
    pub async fn load_multipart(&self, job: &LoadJob, data: Bytes) -> Result<Created> {
        let config = serde_json::to_vec(&self.job_config(job))?;
        let boundary = loop {
            let b = format!("clv_export_{:032x}", rand::thread_rng().gen::<u128>());
            if !contains(&data, b.as_bytes()) {
                break b;
            }
        };
        let mut body = Vec::with_capacity(data.len() + config.len() + 256);
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(&config);
        body.extend_from_slice(
            format!("\r\n--{boundary}\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(&data);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let body = Bytes::from(body);
        let url = self.upload_url("multipart");
        let ct = format!("multipart/related; boundary={boundary}");
        self.create_job(
            &format!("load job {} (multipart upload)", job.job_id),
            &job.job_id,
            || {
                self.http
                    .post(&url)
                    .timeout(self.upload_timeout)
                    .header(reqwest::header::CONTENT_TYPE, &ct)
                    .body(body.clone())
            },
        )
        .await
    }

    /// Starts a resumable session; its URI, or `Exists` when the job id is
    /// already taken.
    pub async fn start_resumable(&self, job: &LoadJob) -> Result<Result<String, Created>> {
        let what = format!("load job {} (starting a resumable upload)", job.job_id);
        let config = self.job_config(job);
        let url = self.upload_url("resumable");
        let resp = self
            .call(&what, || {
                self.http
                    .post(&url)
                    .timeout(self.request_timeout)
                    .header("X-Upload-Content-Type", "application/octet-stream")
                    .json(&config)
            })
            .await?;
        if resp.status() == StatusCode::CONFLICT {
            return Ok(Err(Created::Exists));
        }
        if !resp.status().is_success() {
            return Err(status_error(&what, resp).await);
        }
        let loc = resp
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| anyhow!("{what}: no session URI (Location) in the answer"))?
            .to_string();
        Ok(Ok(loc))
    }

    /// Sends one chunk at `offset` (`total` = Some for the last chunk).
    /// Returns None when BigQuery has the chunk and wants more (308), or the
    /// job when this completed the upload. A fault is followed by a status
    /// query, and only the bytes BigQuery does not have are sent again.
    pub async fn put_chunk(
        &self,
        session: &str,
        job: &LoadJob,
        offset: u64,
        chunk: &Bytes,
        total: Option<u64>,
    ) -> Result<Option<Created>> {
        let what = format!(
            "load job {} (chunk at byte {offset}, {} bytes)",
            job.job_id,
            chunk.len()
        );
        let end = offset + chunk.len() as u64;
        let total_s = total.map_or("*".to_string(), |t| t.to_string());
        let mut from = offset;
        let mut retry = 0;
        let mut resumes = 0;
        loop {
            resumes += 1;
            if resumes > self.retry.max_retries + 4 {
                bail!("{what}: the session keeps asking for bytes it was sent");
            }
            let range = if from < end {
                format!("bytes {from}-{}/{total_s}", end - 1)
            } else {
                format!("bytes */{total_s}")
            };
            let part = chunk.slice((from - offset) as usize..);
            let rb = self
                .http
                .put(session)
                .timeout(self.upload_timeout)
                .header(reqwest::header::CONTENT_RANGE, range)
                .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
                .body(part);
            let fault = match self.attempt(rb).await.with_context(|| what.clone())? {
                Attempt::Answer(r) => {
                    match self.chunk_answer(&what, r, end, total).await? {
                        ChunkAnswer::Done(c) => return Ok(Some(c)),
                        ChunkAnswer::More => return Ok(None),
                        ChunkAnswer::Resume(at) => {
                            // BigQuery kept only part of it: send the rest.
                            if at < offset || at > end {
                                bail!("{what}: BigQuery reports {at} bytes received, outside this chunk");
                            }
                            from = at;
                            continue;
                        }
                    }
                }
                Attempt::Fault(f) => f,
            };
            if retry >= self.retry.max_retries {
                bail!("{what}: gave up after {} attempts: {fault}", retry + 1);
            }
            log::debug!("{what}: {fault}; asking the session what it has");
            self.backoff(retry).await;
            retry += 1;
            if total.is_some() && self.find_job(&job.job_id).await?.is_some() {
                return Ok(Some(Created::Exists));
            }
            // Status query: how much does the session have?
            let probe = self
                .call(&format!("{what}: status query"), || {
                    self.http
                        .put(session)
                        .timeout(self.request_timeout)
                        .header(reqwest::header::CONTENT_RANGE, format!("bytes */{total_s}"))
                })
                .await?;
            match self.chunk_answer(&what, probe, end, total).await? {
                ChunkAnswer::Done(c) => return Ok(Some(c)),
                ChunkAnswer::More => return Ok(None),
                ChunkAnswer::Resume(at) => {
                    if at < offset || at > end {
                        bail!("{what}: BigQuery reports {at} bytes received, outside this chunk");
                    }
                    from = at;
                }
            }
        }
    }

    async fn chunk_answer(
        &self,
        what: &str,
        r: Response,
        end: u64,
        total: Option<u64>,
    ) -> Result<ChunkAnswer> {
        let status = r.status();
        if status.as_u16() == 308 {
            // Range: bytes=0-N (absent: nothing received).
            let have = r
                .headers()
                .get(reqwest::header::RANGE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit_once('-'))
                .and_then(|(_, n)| n.trim().parse::<u64>().ok())
                .map_or(0, |n| n + 1);
            return Ok(if have >= end && total.is_none() {
                ChunkAnswer::More
            } else {
                ChunkAnswer::Resume(have)
            });
        }
        match status {
            StatusCode::CONFLICT => Ok(ChunkAnswer::Done(Created::Exists)),
            StatusCode::NOT_FOUND | StatusCode::GONE => {
                let body = r.text().await.unwrap_or_default();
                Err(SessionLost(format!("{status}: {}", error_message(&body))).into())
            }
            s if s.is_success() => Ok(ChunkAnswer::Done(Created::Job(expect_json(what, r).await?))),
            _ => Err(status_error(what, r).await),
        }
    }

    /// jobs.get: None when BigQuery does not know the id.
    pub async fn find_job(&self, job_id: &str) -> Result<Option<Value>> {
        let what = format!("looking up job {job_id}");
        let url = self.api(&format!("/jobs/{job_id}"));
        let resp = self
            .call(&what, || {
                self.http
                    .get(&url)
                    .timeout(self.request_timeout)
                    .query(&[("location", &self.location)])
            })
            .await?;
        if resp.status() == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        expect_json(&what, resp).await.map(Some)
    }

    /// Polls a job until DONE; its final resource, or `JobFailed` with
    /// BigQuery's error.
    pub async fn wait_job(&self, created: Created, job_id: &str, limit: Duration) -> Result<Value> {
        let mut job = match created {
            Created::Job(j) => j,
            Created::Exists => Value::Null,
        };
        // The id BigQuery answered with (an emulator may pick its own).
        let id = job["jobReference"]["jobId"]
            .as_str()
            .unwrap_or(job_id)
            .to_string();
        let started = std::time::Instant::now();
        let mut wait = Duration::from_millis(200);
        loop {
            if job["status"]["state"].as_str() == Some("DONE") {
                if let Some(e) = job["status"].get("errorResult") {
                    let mut msg = job_error(e);
                    if let Some(all) = job["status"]["errors"].as_array() {
                        let more: Vec<String> = all
                            .iter()
                            .map(job_error)
                            .filter(|m| *m != msg)
                            .take(5)
                            .collect();
                        if !more.is_empty() {
                            msg = format!("{msg}; {}", more.join("; "));
                        }
                    }
                    return Err(JobFailed(format!("BigQuery job {id} failed: {msg}")).into());
                }
                return Ok(job);
            }
            if started.elapsed() > limit {
                bail!(
                    "BigQuery job {id} is not DONE after {} s (state {})",
                    limit.as_secs(),
                    job["status"]["state"].as_str().unwrap_or("unknown")
                );
            }
            if !job.is_null() {
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(5));
            }
            job = self
                .find_job(&id)
                .await?
                .ok_or_else(|| anyhow!("BigQuery does not know job {id}"))?;
        }
    }

    /// Runs a (small) query and returns the first row's values as strings.
    pub async fn query_row(&self, sql: &str) -> Result<Vec<Option<String>>> {
        let what = "verification query".to_string();
        let body = json!({
            "query": sql, "useLegacySql": false, "location": self.location, "timeoutMs": 60000,
        });
        let mut resp = self
            .call_json(&what, Method::POST, &self.api("/queries"), Some(&body))
            .await?;
        let started = std::time::Instant::now();
        while resp["jobComplete"].as_bool() == Some(false) {
            if started.elapsed() > Duration::from_secs(600) {
                bail!("{what}: not complete after 600 s");
            }
            let id = resp["jobReference"]["jobId"]
                .as_str()
                .ok_or_else(|| anyhow!("{what}: no job id in the answer"))?
                .to_string();
            let url = self.api(&format!("/queries/{id}"));
            let r = self
                .call(&what, || {
                    self.http
                        .get(&url)
                        .timeout(self.request_timeout)
                        .query(&[("location", self.location.as_str()), ("timeoutMs", "10000")])
                })
                .await?;
            resp = expect_json(&what, r).await?;
        }
        let row = resp["rows"]
            .get(0)
            .and_then(|r| r["f"].as_array())
            .ok_or_else(|| anyhow!("{what}: no rows in the answer"))?;
        Ok(row
            .iter()
            .map(|c| match &c["v"] {
                Value::String(s) => Some(s.clone()),
                Value::Null => None,
                other => Some(other.to_string()),
            })
            .collect())
    }
}

enum ChunkAnswer {
    Done(Created),
    More,
    /// Send again from this byte.
    Resume(u64),
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn job_error(e: &Value) -> String {
    let msg = e["message"].as_str().unwrap_or("no message");
    match e["reason"].as_str() {
        Some(r) => format!("{msg} (reason: {r})"),
        None => msg.to_string(),
    }
}

/// BigQuery's error message from an error body (or the start of the body).
pub fn error_message(body: &str) -> String {
    if let Ok(v) = serde_json::from_str::<Value>(body) {
        if let Some(m) = v["error"]["message"].as_str() {
            return match v["error"]["errors"][0]["reason"].as_str() {
                Some(r) => format!("{m} (reason: {r})"),
                None => m.to_string(),
            };
        }
    }
    let b = body.trim();
    if b.is_empty() {
        "no details".into()
    } else {
        b.chars().take(300).collect()
    }
}

fn describe_transport(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else if e.is_body() || e.is_request() {
        "connection dropped"
    } else {
        "request failed"
    };
    // The URL holds no secrets (auth travels in a header), and is useful.
    let mut s = format!("{kind}: {e}");
    let mut src = std::error::Error::source(e);
    while let Some(inner) = src {
        s.push_str(&format!(": {inner}"));
        src = inner.source();
    }
    s
}

async fn status_error(what: &str, resp: Response) -> anyhow::Error {
    let status = resp.status();
    let body = resp.text().await.unwrap_or_default();
    anyhow!("{what}: {status}: {}", error_message(&body))
}

async fn expect_json(what: &str, resp: Response) -> Result<Value> {
    if !resp.status().is_success() {
        return Err(status_error(what, resp).await);
    }
    resp.json::<Value>()
        .await
        .map_err(|e| anyhow!("{what}: the answer is not JSON: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigquery_errors_read_well() {
        assert_eq!(
            error_message(
                r#"{"error":{"code":404,"message":"Not found: dataset p:d","errors":[{"reason":"notFound"}]}}"#
            ),
            "Not found: dataset p:d (reason: notFound)"
        );
        assert_eq!(error_message(""), "no details");
        assert_eq!(error_message("oops"), "oops");
        assert!(contains(b"abcdef", b"cde") && !contains(b"abc", b"x"));
    }
}
