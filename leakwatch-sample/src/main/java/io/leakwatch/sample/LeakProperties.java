package io.leakwatch.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** The sample's leak, under {@code sample.leak.}. */
@ConfigurationProperties("sample.leak")
public class LeakProperties {

	/**
	 * Whether each new thing keeps the previous one alive. When false the app runs the same code without
	 * the retention: the control.
	 */
	private boolean enabled = true;

	/**
	 * How much the chain may hold before the sample stops extending it, so the app stays responsive for
	 * curl after the leak has been reported. A real leak has no such limit.
	 */
	private DataSize limit = DataSize.ofMegabytes(150);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public DataSize getLimit() {
		return this.limit;
	}

	public void setLimit(DataSize limit) {
		this.limit = limit;
	}

}
