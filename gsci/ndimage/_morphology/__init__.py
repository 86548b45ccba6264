"""Binary and grey morphology: structuring elements, erosion and dilation and what is built from them."""
