//! The cost drivers of the readiness estimate as flags; a flag wins over `[readiness]` in
//! `xwalk.toml`, and the file over the facts.

use xwalk::assessment::config::Config;
use xwalk::views::drivers::{BodyTier, CostDrivers, Given};

fn yes_no(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "yes" | "true" => Ok(true),
        "no" | "false" => Ok(false),
        other => Err(format!("`{other}` is not yes or no")),
    }
}

/// Flags that move the readiness estimate (and the programme's start and auditor-days).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DriverArgs {
    /// People in the ISMS scope (default: org_profile.employees); picks the auditor-days row.
    #[arg(long, value_name = "N")]
    headcount: Option<u64>,
    /// Sites (offices, data centres) in the ISMS scope.
    #[arg(long, value_name = "N")]
    sites: Option<u32>,
    /// Certification body tier: premium, standard or budget.
    #[arg(long, value_name = "TIER", value_parser = |s: &str| s.parse::<BodyTier>())]
    certification_body: Option<BodyTier>,
    /// The certification body's day rate in US dollars: prices the audits by auditor-days.
    #[arg(long, value_name = "USD")]
    day_rate: Option<u32>,
    /// A GRC platform runs the ISMS (yes or no).
    #[arg(long, value_name = "yes|no", value_parser = yes_no)]
    grc_platform: Option<bool>,
    /// ISO 27001 and SOC 2 pursued together with one evidence collection (yes or no).
    #[arg(long, value_name = "yes|no", value_parser = yes_no)]
    dual_framework: Option<bool>,
    /// The `[readiness]` table of the configuration file.
    #[arg(skip)]
    file: CostDrivers,
}

fn pick<T: Clone>(flag: Option<T>, name: &str, file: &Option<Given<T>>) -> Option<Given<T>> {
    flag.map(|v| Given::new(v, name)).or_else(|| file.clone())
}

impl DriverArgs {
    /// Keep the file's drivers for what the flags leave unset.
    pub fn apply_config(&mut self, c: &Config) {
        self.file = c.drivers.clone();
    }

    /// The drivers in force: each flag given, else the file's value.
    pub fn drivers(&self) -> CostDrivers {
        let f = &self.file;
        CostDrivers {
            headcount: pick(self.headcount, "--headcount", &f.headcount),
            sites: pick(self.sites, "--sites", &f.sites),
            certification_body: pick(
                self.certification_body,
                "--certification-body",
                &f.certification_body,
            ),
            day_rate_usd: pick(self.day_rate, "--day-rate", &f.day_rate_usd),
            grc_platform: pick(self.grc_platform, "--grc-platform", &f.grc_platform),
            dual_framework: pick(self.dual_framework, "--dual-framework", &f.dual_framework),
        }
    }
}
