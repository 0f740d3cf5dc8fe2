"""The services' flows by their stable keys (URLs, exports, the staff workspace)."""

from .inquiry_flow import InquiryFlow
from .transfer_flow import TransferFlow

FLOWS = {"transfer": TransferFlow, "inquiry": InquiryFlow}
