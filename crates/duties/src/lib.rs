//! Network profiles, the duty and penalty catalogs, and the engine that derives duties, deadlines, gaps and penalty exposure.
