//! The args of the commands that use the token: `api` and `exec`.

use clap::Args;

#[derive(Debug, Args)]
pub struct ApiArgs {
    /// API path (objects, /objects, /node/api/objects), with any query; or a full URL on
    /// the profile's server
    #[arg(value_name = "PATH")]
    pub path: String,

    /// HTTP method [default: POST with a body or fields, else GET]
    #[arg(short = 'X', long = "method", value_name = "METHOD")]
    pub method: Option<String>,

    /// Request body: JSON text, @FILE, or @- for stdin (sent as application/json unless
    /// -H sets a Content-Type)
    #[arg(short = 'd', long = "data", value_name = "DATA", conflicts_with_all = ["raw_fields", "fields"])]
    pub data: Option<String>,

    /// A string field: part of a JSON object body (POST, PUT, PATCH) or a query
    /// parameter (GET, DELETE)
    #[arg(short = 'f', long = "raw-field", value_name = "KEY=VALUE")]
    pub raw_fields: Vec<String>,

    /// A typed field: true, false, null and numbers become JSON values; @FILE reads the
    /// value from a file
    #[arg(short = 'F', long = "field", value_name = "KEY=VALUE")]
    pub fields: Vec<String>,

    /// An extra request header
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,

    /// Print the status line and response headers before the body
    #[arg(short = 'i', long = "include")]
    pub include: bool,

    /// Print the body exactly as received, also at a terminal
    #[arg(long)]
    pub raw: bool,

    /// GET every page (`limit` and `skip`, advancing skip by the items received, until a
    /// page is shorter than the page size) and print one JSON array of all items, written
    /// as pages arrive. If a page fails, the array so far is closed (stdout stays valid
    /// JSON) and the exit code is that page's: scripts must check it. A page size above
    /// the server's own cap ends early: keep it at or below that cap
    #[arg(long, conflicts_with_all = ["data", "include", "raw"])]
    pub paginate: bool,

    /// Print the request that would be sent (method, URL with api-token=***, headers,
    /// body), and send nothing
    #[arg(long, conflicts_with_all = ["curl", "include", "raw"])]
    pub dry_run: bool,

    /// Print one curl command line that sends the same request, reading the token from
    /// $SAYMON_TOKEN when it runs (under `saymon exec`), and send nothing
    #[arg(long, conflicts_with_all = ["paginate", "include", "raw"])]
    pub curl: bool,

    /// Items per page for --paginate [default: a `limit` in PATH or -F, else 100]
    #[arg(long, value_name = "N", requires = "paginate",
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub page_size: Option<u32>,
}

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// Pass the command's output through untouched: without it, the token (and a
    /// remembered password) is shown as *** in each of its stdout and stderr that is not
    /// a terminal
    #[arg(long)]
    pub no_mask: bool,

    /// The command and its arguments, after `--`
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    pub command: Vec<std::ffi::OsString>,
}
