//! The command line, exactly as docs/CONTRACTS.md gives it.

use adopat_core::inventory::Filter;
use adopat_core::state::RenewMode;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "adopat",
    version,
    about = "Manage your Azure DevOps personal access tokens across every organization.",
    after_help = "Sign in first with `adopat login`, or try everything with --demo."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// An organization to work in; repeat for several. Default: all of yours.
    #[arg(long = "org", global = true, value_name = "ORG")]
    pub orgs: Vec<String>,
    /// Machine-readable JSON on stdout.
    #[arg(long, global = true)]
    pub json: bool,
    /// Work against a built-in demo service: no account, no network, nothing kept.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Seconds the command's requests to Azure DevOps may take in all, retries included.
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 120,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Organizations of the signed-in account(s).
    Orgs {
        /// Stop showing an organization (kept in the config).
        #[arg(long, value_name = "ORG")]
        hide: Vec<String>,
        /// Show a hidden organization again.
        #[arg(long, value_name = "ORG")]
        unhide: Vec<String>,
    },
    /// List PATs of every organization, soonest expiry first.
    List {
        #[arg(long, default_value_t = Filter::Active, value_parser = filter_value())]
        filter: Filter,
        /// Only active PATs that expire within this span (7d, 2w, 12h).
        #[arg(long, value_name = "SPAN")]
        expiring_within: Option<String>,
    },
    /// Show one PAT in full.
    Show { token: String },
    /// Create a PAT; its secret goes to the clipboard.
    Create {
        #[arg(long)]
        name: String,
        /// A scope such as vso.code_write; repeat, or give a space-separated list. app_token is full access.
        #[arg(long = "scope", required = true, value_name = "SCOPE")]
        scopes: Vec<String>,
        /// A date (2027-03-01), an RFC 3339 time, or a span (30d, 12w).
        #[arg(long, value_name = "DATE|SPAN")]
        expires: String,
        /// Write the secret to stdout instead of the clipboard.
        #[arg(long)]
        print: bool,
        /// Keep the secret in the OS keyring, so that `adopat copy` copies it again later.
        #[arg(long)]
        keep: bool,
        /// Also write the secret into this place, named as `adopat places` shows it (npm://pkgs.dev.azure.com/…); repeat for several.
        #[arg(long = "put-in", value_name = "PLACE")]
        put_in: Vec<String>,
        /// Also look for places in this folder; repeat for several.
        #[arg(long = "in", value_name = "DIR", requires = "put_in")]
        dirs: Vec<std::path::PathBuf>,
        /// Write it into a place of another organization, or over a password the file keeps encrypted, all the same.
        #[arg(long = "put-in-anyway", requires = "put_in")]
        put_in_anyway: bool,
    },
    /// Rename, re-scope or extend a PAT; its secret stays the same.
    Edit {
        token: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long = "scope", value_name = "SCOPE")]
        scopes: Vec<String>,
        #[arg(long, value_name = "DATE|SPAN")]
        expires: Option<String>,
    },
    /// Replace a PAT with a new secret and revoke the old one.
    Regenerate {
        token: String,
        #[arg(long, value_name = "DATE|SPAN")]
        expires: Option<String>,
        #[arg(long)]
        print: bool,
        /// Leave the places that held the old secret as they are.
        #[arg(long)]
        no_update: bool,
        /// Keep the new secret in the OS keyring, so that `adopat copy` copies it again later.
        #[arg(long)]
        keep: bool,
        /// Say what would change (the PAT, the places), and change nothing.
        #[arg(long, conflicts_with_all = ["print", "keep", "no_update"])]
        dry_run: bool,
        /// Also update the places in this folder (its .npmrc, nuget.config, pip.conf…); repeat for several.
        #[arg(long = "in", value_name = "DIR", conflicts_with = "no_update")]
        dirs: Vec<std::path::PathBuf>,
    },
    /// PATs that renew themselves before they expire: turn it on (or change it) for TOKEN,
    /// off with --off, or list them.
    Autorenew {
        token: Option<String>,
        /// regenerate: a new secret each time, into the places that held the old one;
        /// extend: the same secret, for longer. Default: regenerate.
        #[arg(long, value_parser = mode_value(), requires = "token", conflicts_with = "off")]
        mode: Option<RenewMode>,
        /// Renew once no more than this is left of it (7d, 2w, 36h). Default: 7d.
        #[arg(long, value_name = "SPAN", requires = "token", conflicts_with = "off")]
        before: Option<String>,
        /// It no longer renews itself.
        #[arg(long, requires = "token")]
        off: bool,
    },
    /// Renew PATs now, each by its mode (regenerate when none is set), or with --due every
    /// PAT set to renew itself that is due (for a timer on machines without a desktop).
    Renew {
        #[arg(
            value_name = "TOKEN",
            required_unless_present = "due",
            conflicts_with = "due"
        )]
        tokens: Vec<String>,
        #[arg(long)]
        due: bool,
        /// Say what would be done; nothing is created, written or revoked.
        #[arg(long)]
        dry_run: bool,
        /// Also write the new secrets to stdout.
        #[arg(long, conflicts_with = "dry_run")]
        print: bool,
    },
    /// Copy a kept secret (`--keep`) to the clipboard again.
    Copy { token: String },
    /// AdoPat in the tray: reminders before PATs expire, and the fix one click away (what
    /// the Linux packages' `adopat-tray` runs).
    #[cfg(feature = "tray")]
    Tray {
        /// Open the window at once.
        #[arg(long)]
        open: bool,
        /// Ask the running tray to check now, then exit (1 when none runs).
        #[arg(long, conflicts_with_all = ["demo", "open"])]
        check_now: bool,
    },
    /// Shell completions on stdout, e.g. `adopat completions bash > /etc/bash_completion.d/adopat`.
    Completions {
        #[arg(value_enum)]
        shell: CompletionShell,
    },
    /// Where Azure DevOps credentials are used on this machine (git, npm, NuGet, Maven, pip, .netrc).
    Places {
        /// Ask Azure DevOps whether each one still works (one request per place).
        #[arg(long)]
        check: bool,
        /// Also look in this folder (a repository's .npmrc, nuget.config, pip.conf…); repeat for several.
        #[arg(long = "in", value_name = "DIR")]
        dirs: Vec<std::path::PathBuf>,
    },
    /// Revoke a PAT: anything using it stops working.
    Revoke {
        token: String,
        /// Do not ask for confirmation (needed without a terminal).
        #[arg(long)]
        yes: bool,
    },
    /// The scopes a PAT can have.
    Scopes,
    /// Sign in with Microsoft Entra (the browser by default).
    Login {
        /// Sign in on another device with a code (for terminals without a browser).
        #[arg(long, conflicts_with = "azure_cli")]
        device_code: bool,
        /// Reuse the Azure CLI's sign-in (`az login`).
        #[arg(long)]
        azure_cli: bool,
        /// The Entra tenant: an id, a domain, or `organizations` (any work or school account).
        #[arg(long)]
        tenant: Option<String>,
        /// Your own Entra app registration's application (client) id.
        #[arg(long)]
        client_id: Option<String>,
    },
    /// Sign out: forget an account and remove its sign-in from the OS keyring.
    Logout {
        /// The account (user name or id); needed when several are signed in.
        account: Option<String>,
        #[arg(long, conflicts_with = "account")]
        all: bool,
    },
    /// The signed-in accounts.
    Whoami,
}

impl Command {
    /// Commands that change PATs heed a stop request themselves, where stopping loses
    /// nothing; the others simply end.
    pub fn changes_pats(&self) -> bool {
        matches!(
            self,
            Command::Create { .. }
                | Command::Edit { .. }
                | Command::Revoke { .. }
                | Command::Regenerate { .. }
                | Command::Renew { .. }
        )
    }
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

impl CompletionShell {
    pub fn generator(self) -> clap_complete::Shell {
        match self {
            CompletionShell::Bash => clap_complete::Shell::Bash,
            CompletionShell::Zsh => clap_complete::Shell::Zsh,
            CompletionShell::Fish => clap_complete::Shell::Fish,
            CompletionShell::Powershell => clap_complete::Shell::PowerShell,
        }
    }
}

/// `--filter`: core's `Filter`, its spellings offered as clap's possible values.
fn filter_value() -> impl TypedValueParser<Value = Filter> {
    PossibleValuesParser::new(Filter::ALL.map(Filter::as_str))
        .try_map(|text| text.parse::<Filter>())
}

/// `--mode`: core's renewal modes as clap's possible values.
fn mode_value() -> impl TypedValueParser<Value = RenewMode> {
    PossibleValuesParser::new(RenewMode::ALL.map(RenewMode::as_str))
        .try_map(|text| text.parse::<RenewMode>())
}

/// An error as the command line says it: core names what is wrong in the domain's words
/// (`expiry`), the command line by the flag that gives it (`--expires`).
pub fn said(error: &adopat_core::Error) -> String {
    match error {
        adopat_core::Error::Invalid { field, message } => {
            let unknown = message.contains("is not an Azure DevOps scope");
            let list = if *field == "scopes" && unknown && !message.contains("did you mean") {
                "; `adopat scopes` lists them"
            } else {
                ""
            };
            format!("{}: {message}{list}", flag(field))
        }
        // Core says "sign in again"; here that is a command.
        adopat_core::Error::SignIn(message) if message.contains("sign in again") => {
            format!("{message} Run `adopat login`.")
        }
        other => other.to_string(),
    }
}

fn flag(field: &str) -> &str {
    match field {
        "name" => "--name",
        "scopes" => "--scope",
        "expiry" => "--expires",
        "within" => "--expiring-within",
        "organization" => "--org",
        "tenant" => "--tenant",
        "client id" => "--client-id",
        "pat" => "TOKEN",
        "demo" => "--demo",
        "place" => "--put-in",
        "before" => "--before",
        "mode" => "--mode",
        other => other,
    }
}
